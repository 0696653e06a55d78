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

"""Resource graphs: which resources a plan protects, and in what order.

A graph is a list of root :class:`GraphNode` objects. A node's children are
the resources it depends on (a server's volumes, for instance); operations
run their hooks in graph order. A resource reachable from several parents
is a single shared node, so the graph is a DAG rather than a forest.

Checkpoints store the graph in upstream Karbor's packed form (see
:func:`serialize_resource_graph`) so that existing banks stay readable.
"""

import json
import typing

from karbor import exception
from karbor import resource


class GraphNode(typing.NamedTuple):
    """One node of a graph: a value and the nodes it depends on."""

    value: typing.Any
    child_nodes: tuple = ()


def build_graph(start_nodes, get_child_nodes_func):
    """Build a graph from start values and a child lookup function.

    :param start_nodes: iterable of hashable values (usually Resources).
    :param get_child_nodes_func: callable returning the child values of a
        value; called once per distinct value.
    :returns: list of root GraphNodes, in the order of ``start_nodes``. A
        start value that is a descendant of another start value is not a
        root, and a value reachable twice yields one shared node.
    :raises karbor.exception.FoundLoopError: when the children form a cycle.
    """
    built = {}
    children_of_someone = set()
    for start in start_nodes:
        if start not in built:
            _build_from(start, get_child_nodes_func, built,
                        children_of_someone)
    roots = []
    seen = set()
    for start in start_nodes:
        if start in children_of_someone or start in seen:
            continue
        seen.add(start)
        roots.append(built[start])
    return roots


def _build_from(start, get_children, built, children_of_someone):
    # Iterative depth-first search so deep dependency chains cannot hit the
    # recursion limit. ``path`` holds the values being visited (the "gray"
    # set of the classic algorithm); ``built`` is the finished ("black") set.
    stack = [(start, list(get_children(start)), 0)]
    path = [start]
    on_path = {start}
    while stack:
        value, children, index = stack[-1]
        if index < len(children):
            stack[-1] = (value, children, index + 1)
            child = children[index]
            children_of_someone.add(child)
            if child in on_path:
                loop = path[path.index(child):] + [child]
                raise exception.FoundLoopError(
                    loop=' -> '.join(str(v) for v in loop))
            if child not in built:
                stack.append((child, list(get_children(child)), 0))
                path.append(child)
                on_path.add(child)
            continue
        stack.pop()
        path.pop()
        on_path.discard(value)
        unique_children = []
        for child in children:
            if built[child] not in unique_children:
                unique_children.append(built[child])
        built[value] = GraphNode(value, tuple(unique_children))


def iter_graph_nodes(graph):
    """Yield every distinct node of ``graph`` once, parents first.

    The order is a topological order: a node comes after all of its
    parents.
    """
    order = _topological_order(graph)
    return iter(order)


def iter_graph_edges(graph):
    """Yield ``(parent_node, child_node)`` once for every edge."""
    for node in _topological_order(graph):
        for child in node.child_nodes:
            yield node, child


def _node_key(node):
    try:
        hash(node.value)
        return ('value', node.value)
    except TypeError:
        return ('identity', id(node))


def _topological_order(graph):
    # Reverse post-order of a depth-first walk: every parent precedes all
    # of its children, even when a child is shared by several parents.
    # Walking the roots backwards makes the first root come out first.
    visited = set()
    post_order = []
    for root in reversed(list(graph)):
        if _node_key(root) in visited:
            continue
        visited.add(_node_key(root))
        stack = [(root, iter(root.child_nodes))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if _node_key(child) not in visited:
                    visited.add(_node_key(child))
                    stack.append((child, iter(child.child_nodes)))
                    break
            else:
                stack.pop()
                post_order.append(node)
    post_order.reverse()
    return post_order


def _value_to_packed(value):
    if isinstance(value, resource.Resource):
        return [value.type, value.id, value.name, value.extra_info]
    raise exception.GraphBuildError(
        reason='only Resource values can be serialized, not %r' % (value,))


def _packed_to_value(data):
    if isinstance(data, dict):
        return resource.Resource.from_dict(data)
    # Old banks may hold [type, id, name] without extra_info.
    values = list(data) + [None] * (4 - len(data))
    return resource.Resource(*values[:4])


def serialize_resource_graph(graph):
    """Return the JSON text of a resource graph in upstream's packed form.

    The text is ``[nodes, adjacency]``: ``nodes`` maps serial ids (``"0x0"``,
    ``"0x1"``, ...) to ``[type, id, name, extra_info]``; ``adjacency`` is a
    list of ``[parent_sid, [child_sids]]`` for every node, children listed
    before their parents.

    :param graph: list of root GraphNodes whose values are Resources.
    """
    order = _topological_order(graph)
    sids = {}
    nodes = {}
    for index, node in enumerate(order):
        sid = hex(index)
        sids[_node_key(node)] = sid
        nodes[sid] = _value_to_packed(node.value)
    adjacency = []
    for node in reversed(order):
        adjacency.append([sids[_node_key(node)],
                          [sids[_node_key(c)] for c in node.child_nodes]])
    return json.dumps([nodes, adjacency])


def deserialize_resource_graph(text):
    """Rebuild a graph written by :func:`serialize_resource_graph`.

    Also reads graphs written by upstream Karbor, including packed graphs
    whose adjacency omits leaf nodes or lists nodes in another order.

    :returns: list of root GraphNodes of Resources.
    :raises karbor.exception.GraphBuildError: when the text is not a valid
        packed graph.
    """
    try:
        nodes, adjacency = json.loads(text)
        values = {sid: _packed_to_value(v) for sid, v in nodes.items()}
        children = {sid: list(child_sids) for sid, child_sids in adjacency}
    except (TypeError, ValueError, AttributeError) as exc:
        raise exception.GraphBuildError(
            reason='malformed packed graph: %s' % exc)
    unknown = {c for cs in children.values() for c in cs} | set(children)
    unknown -= set(values)
    if unknown:
        raise exception.GraphBuildError(
            reason='unknown node ids %s' % sorted(unknown))

    built = {}

    def _build(sid, trail):
        if sid in built:
            return built[sid]
        if sid in trail:
            raise exception.FoundLoopError(loop=' -> '.join(trail + [sid]))
        trail.append(sid)
        kids = tuple(_build(c, trail) for c in children.get(sid, ()))
        trail.pop()
        built[sid] = GraphNode(values[sid], kids)
        return built[sid]

    referenced = {c for cs in children.values() for c in cs}
    # Roots keep the order of the adjacency list's parents, last first, as
    # serialize_resource_graph lists parents after their children; nodes
    # absent from the adjacency come after, in serial-id order.
    ordered_sids = [sid for sid, _ in reversed(adjacency)]
    ordered_sids += sorted((s for s in values if s not in children),
                           key=_sid_sort_key)
    roots = []
    for sid in ordered_sids:
        if sid not in referenced and sid not in built:
            roots.append(_build(sid, []))
    if len(built) < len(values):
        # Nodes no root reaches can only sit on a cycle.
        raise exception.FoundLoopError(
            loop=', '.join(sorted(set(values) - set(built))))
    return roots


def _sid_sort_key(sid):
    try:
        return (0, int(sid, 16), sid)
    except ValueError:
        return (1, 0, sid)
