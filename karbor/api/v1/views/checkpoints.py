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

"""The JSON view of a checkpoint."""

from oslo_serialization import jsonutils

# A packed resource graph with no node: what a checkpoint whose graph is
# not built yet shows, because OSC parses the field as JSON and fails on
# null.
EMPTY_RESOURCE_GRAPH = jsonutils.dumps([{}, []])

_PLAN_KEYS = ('id', 'name', 'provider_id', 'resources')

# Keys only copies have: the source checkpoint, the destination it was
# copied to, and the progress of the copy; and the key only a checkpoint
# with copies has, when shown: its copies.
_COPY_KEYS = ('copy_of', 'copy_destination', 'copy_progress', 'copies')


def _json_text(value):
    if value is None or isinstance(value, str):
        return value
    return jsonutils.dumps(value)


def detail(checkpoint):
    """The checkpoint view.

    ``{id, project_id, status, protection_plan, resource_graph, created_at,
    extra_info}``.
    ``resource_graph`` is always a JSON string and ``extra_info`` a JSON
    string or null, whatever the bank holds (unfinished upstream copies
    store an object there). A copy also shows ``copy_of``,
    ``copy_destination`` and ``copy_progress``; a checkpoint with copies,
    when shown alone, ``copies``.
    """
    plan = checkpoint.get('protection_plan') or {}
    graph = checkpoint.get('resource_graph')
    view = {
        'id': checkpoint['id'],
        'project_id': checkpoint.get('project_id'),
        'status': checkpoint.get('status'),
        'protection_plan': {key: plan.get(key) for key in _PLAN_KEYS
                            if key in plan},
        'resource_graph': (_json_text(graph) if graph is not None
                           else EMPTY_RESOURCE_GRAPH),
        'created_at': checkpoint.get('created_at'),
        'extra_info': _json_text(checkpoint.get('extra_info')),
    }
    view.update((key, checkpoint[key]) for key in _COPY_KEYS
                if key in checkpoint)
    return view
