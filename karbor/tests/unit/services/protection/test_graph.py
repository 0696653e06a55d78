#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Tests of karbor.services.protection.graph."""

import json

import ddt

from karbor import exception
from karbor import resource
from karbor.services.protection import graph
from karbor.tests import base

# Written by hand in the layout upstream Karbor stores in index.json: a
# server with a volume and an image, the volume also reached from a second
# root; leaves listed in the adjacency before their parents.
UPSTREAM_GRAPH = (
    '[{"0x0": ["OS::Nova::Server", "srv-1", "vm", null], '
    '"0x1": ["OS::Cinder::Volume", "vol-1", "disk", {"size": 1}], '
    '"0x2": ["OS::Glance::Image", "img-1", "image", null], '
    '"0x3": ["OS::Keystone::Project", "prj", "project", null]}, '
    '[["0x1", []], ["0x2", []], ["0x0", ["0x1", "0x2"]], '
    '["0x3", ["0x1"]]]]'
)
# The same graph without leaf entries in the adjacency list.
UPSTREAM_GRAPH_NO_LEAVES = (
    '[{"0x0": ["OS::Nova::Server", "srv-1", "vm", null], '
    '"0x1": ["OS::Cinder::Volume", "vol-1", "disk", {"size": 1}], '
    '"0x2": ["OS::Glance::Image", "img-1", "image", null], '
    '"0x3": ["OS::Keystone::Project", "prj", "project", null]}, '
    '[["0x0", ["0x1", "0x2"]], ["0x3", ["0x1"]]]]'
)


def _res(kind, rid):
    return resource.Resource(kind, rid, 'name-' + rid)


def _children_func(mapping):
    calls = []

    def get_children(value):
        calls.append(value)
        return mapping.get(value, [])
    return get_children, calls


@ddt.ddt
class BuildGraphTest(base.TestCase):

    def test_simple_tree(self):
        func, calls = _children_func({'a': ['b', 'c'], 'b': ['d']})
        roots = graph.build_graph(['a'], func)
        self.assertEqual(1, len(roots))
        a = roots[0]
        self.assertEqual('a', a.value)
        self.assertEqual(['b', 'c'], [n.value for n in a.child_nodes])
        self.assertEqual(['d'],
                         [n.value for n in a.child_nodes[0].child_nodes])
        self.assertEqual(sorted(calls), ['a', 'b', 'c', 'd'])

    def test_start_node_descendant_is_not_root(self):
        func, _ = _children_func({'a': ['b'], 'b': ['c']})
        roots = graph.build_graph(['c', 'a', 'x'], func)
        self.assertEqual(['a', 'x'], [r.value for r in roots])

    def test_shared_child_is_one_node_and_visited_once(self):
        func, calls = _children_func({'a': ['c'], 'b': ['c'], 'c': ['d']})
        roots = graph.build_graph(['a', 'b'], func)
        self.assertIs(roots[0].child_nodes[0], roots[1].child_nodes[0])
        self.assertEqual(1, calls.count('c'))
        self.assertEqual(1, calls.count('d'))

    def test_duplicate_start_nodes(self):
        func, _ = _children_func({})
        roots = graph.build_graph(['a', 'a'], func)
        self.assertEqual(['a'], [r.value for r in roots])

    @ddt.data({'a': ['a']},
              {'a': ['b'], 'b': ['a']},
              {'a': ['b'], 'b': ['c'], 'c': ['d', 'b']})
    def test_loop(self, mapping):
        func, _ = _children_func(mapping)
        self.assertRaises(exception.FoundLoopError,
                          graph.build_graph, ['a'], func)

    def test_deep_chain_does_not_recurse(self):
        depth = 5000
        roots = graph.build_graph(
            [0], lambda v: [v + 1] if v < depth else [])
        self.assertEqual(depth + 1, len(list(graph.iter_graph_nodes(roots))))

    def test_graph_node_is_immutable(self):
        node = graph.GraphNode('a', ())
        self.assertRaises(AttributeError, setattr, node, 'value', 'b')


class IterGraphTest(base.TestCase):

    def setUp(self):
        super().setUp()
        func, _ = _children_func({'a': ['c', 'd'], 'b': ['c'], 'c': ['e']})
        self.roots = graph.build_graph(['a', 'b'], func)

    def test_nodes_once_parents_first(self):
        values = [n.value for n in graph.iter_graph_nodes(self.roots)]
        self.assertEqual(sorted(values), ['a', 'b', 'c', 'd', 'e'])
        for parent, child in (('a', 'c'), ('a', 'd'), ('b', 'c'),
                              ('c', 'e')):
            self.assertLess(values.index(parent), values.index(child))

    def test_edges_once(self):
        edges = [(p.value, c.value)
                 for p, c in graph.iter_graph_edges(self.roots)]
        self.assertEqual(sorted(edges),
                         [('a', 'c'), ('a', 'd'), ('b', 'c'), ('c', 'e')])

    def test_empty(self):
        self.assertEqual([], list(graph.iter_graph_nodes([])))
        self.assertEqual([], list(graph.iter_graph_edges([])))


@ddt.ddt
class SerializeGraphTest(base.TestCase):

    def _graph(self):
        server = _res('OS::Nova::Server', 's')
        volume = resource.Resource('OS::Cinder::Volume', 'v', 'vol',
                                   {'az': 'nova'})
        image = _res('OS::Glance::Image', 'i')
        project = _res('OS::Keystone::Project', 'p')
        mapping = {server: [volume, image], project: [volume]}
        return graph.build_graph([server, project],
                                 lambda r: mapping.get(r, []))

    def test_packed_format(self):
        text = graph.serialize_resource_graph(self._graph())
        nodes, adjacency = json.loads(text)
        self.assertEqual(['0x0', '0x1', '0x2', '0x3'], sorted(nodes))
        self.assertIn(['OS::Cinder::Volume', 'v', 'vol', {'az': 'nova'}],
                      nodes.values())
        self.assertEqual(4, len(adjacency))
        # Every child is listed before its parents.
        position = {sid: i for i, (sid, _) in enumerate(adjacency)}
        for sid, children in adjacency:
            for child in children:
                self.assertLess(position[child], position[sid])
        self.assertEqual(2, sum(1 for _sid, children in adjacency
                                for c in children
                                if nodes[c][0] == 'OS::Cinder::Volume'))

    def test_round_trip_keeps_shared_child_and_extra_info(self):
        roots = self._graph()
        back = graph.deserialize_resource_graph(
            graph.serialize_resource_graph(roots))
        self.assertEqual(roots, back)
        self.assertEqual(['s', 'p'], [r.value.id for r in back])
        shared = back[0].child_nodes[0]
        self.assertIs(shared, back[1].child_nodes[0])
        self.assertEqual({'az': 'nova'}, shared.value.extra_info)

    @ddt.data(UPSTREAM_GRAPH, UPSTREAM_GRAPH_NO_LEAVES)
    def test_read_upstream_format(self, text):
        roots = graph.deserialize_resource_graph(text)
        self.assertEqual([('OS::Nova::Server', 'srv-1'),
                          ('OS::Keystone::Project', 'prj')],
                         sorted([(r.value.type, r.value.id) for r in roots],
                                reverse=True))
        server = [r for r in roots if r.value.id == 'srv-1'][0]
        project = [r for r in roots if r.value.id == 'prj'][0]
        self.assertEqual({'vol-1', 'img-1'},
                         {c.value.id for c in server.child_nodes})
        volume = [c for c in server.child_nodes if c.value.id == 'vol-1'][0]
        self.assertIs(volume, project.child_nodes[0])
        self.assertEqual({'size': 1}, volume.value.extra_info)
        self.assertIsInstance(volume.value, resource.Resource)

    def test_upstream_round_trip_is_stable(self):
        roots = graph.deserialize_resource_graph(UPSTREAM_GRAPH)
        again = graph.deserialize_resource_graph(
            graph.serialize_resource_graph(roots))
        self.assertEqual(roots, again)

    def test_three_field_nodes(self):
        roots = graph.deserialize_resource_graph(
            '[{"0x0": ["T", "i", "n"]}, [["0x0", []]]]')
        self.assertEqual(resource.Resource('T', 'i', 'n'), roots[0].value)
        self.assertIsNone(roots[0].value.extra_info)

    def test_empty_graph(self):
        text = graph.serialize_resource_graph([])
        self.assertEqual([{}, []], json.loads(text))
        self.assertEqual([], graph.deserialize_resource_graph(text))

    @ddt.data('not json', '[]', '[{}, [["0x9", []]]]',
              '[{"0x0": ["T", "i", "n", null]}, [["0x0", ["0x7"]]]]')
    def test_malformed(self, text):
        self.assertRaises(exception.GraphBuildError,
                          graph.deserialize_resource_graph, text)

    def test_cycle_in_text(self):
        text = ('[{"0x0": ["T", "a", "a", null], "0x1": ["T", "b", "b", '
                'null]}, [["0x0", ["0x1"]], ["0x1", ["0x0"]]]]')
        self.assertRaises(exception.FoundLoopError,
                          graph.deserialize_resource_graph, text)

    def test_non_resource_values_rejected(self):
        roots = graph.build_graph(['a'], lambda v: [])
        self.assertRaises(exception.GraphBuildError,
                          graph.serialize_resource_graph, roots)
