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

"""Turn a resource graph into a flow of protection-plugin hook tasks.

Every distinct resource of the graph gets four tasks, one per hook of the
Operation its plugin returns, chained prepare_begin -> prepare_finish ->
main -> complete. Between a parent P and a child C:

* P.prepare_begin runs before C.prepare_begin;
* C.prepare_finish runs before P.prepare_finish;
* C.complete runs before P.complete;

and the main hooks are otherwise independent, so they run in parallel.
"""

from oslo_log import log as logging
from taskflow import task

from karbor.common import constants
from karbor import exception
from karbor.services.protection import graph
from karbor.services.protection import protection_plugin

LOG = logging.getLogger(__name__)

# Values every hook task reads from the engine's store.
COMMON_ARGS = ('checkpoint', 'context', 'operation_log')

# Extra values of the store a hook receives as keyword arguments, per
# operation. Tuples, so that nobody can grow them by accident.
OPERATION_EXTRA_ARGS = {
    constants.OPERATION_RESTORE: ('restore', 'new_resources',
                                  'restore_auth'),
    constants.OPERATION_VERIFY: ('verify', 'new_resources'),
    constants.OPERATION_COPY: ('checkpoint_copy', 'copy_progress'),
}


def get_store_keys(operation_type):
    """The store keys a flow of ``operation_type`` must provide."""
    return COMMON_ARGS + OPERATION_EXTRA_ARGS.get(operation_type, ())


class ResourceHookTask(task.Task):
    """Runs one hook of one resource's Operation."""

    def __init__(self, name, hook, resource, parameters, operation_type):
        super().__init__(name=name,
                         requires=list(get_store_keys(operation_type)))
        self._hook = hook
        self._resource = resource
        self._parameters = parameters

    def execute(self, checkpoint, context, **kwargs):
        LOG.debug('Running %s', self.name)
        self._hook(checkpoint, self._resource, context, self._parameters,
                   **kwargs)


def resource_parameters(parameters, resource):
    """The parameters of one resource: its type's, then its own."""
    parameters = parameters or {}
    result = dict(parameters.get(resource.type) or {})
    result.update(parameters.get('%s#%s' % (resource.type, resource.id))
                  or {})
    return result


def _task_name(prefix, operation_type, hook, resource):
    return '%s%s_%s_%s_%s' % (prefix, operation_type, hook, resource.type,
                              resource.id)


def _does_nothing(operation, hook):
    """Whether ``operation`` has no ``hook``, or the base class's no-op."""
    if getattr(operation, hook, None) is None:
        return True
    return (isinstance(operation, protection_plugin.Operation) and
            getattr(type(operation), hook, None) is
            getattr(protection_plugin.Operation, hook))


def _resource_tasks(operation_type, plugins, resource, parameters, prefix):
    """``{hook: task}`` of one resource, None for hooks that do nothing."""
    plugin = plugins.get(resource.type)
    if plugin is None:
        raise exception.ProtectionPluginNotFound(plugin=resource.type)
    get_operation = getattr(plugin, 'get_%s_operation' % operation_type)
    operation = get_operation(resource)
    params = resource_parameters(parameters, resource)
    return {
        hook: None if _does_nothing(operation, hook) else ResourceHookTask(
            _task_name(prefix, operation_type, hook, resource),
            getattr(operation, hook), resource, params, operation_type)
        for hook in constants.HOOKS
    }


def _without_idle_hooks(tasks, edges):
    """The tasks and ``(before, after)`` task pairs, idle hooks left out.

    ``tasks`` maps each hook of each resource to its task, or None for a
    hook that does nothing; ``edges`` are pairs of those hooks. A left-out
    hook's predecessors are linked to its successors, so every ordering
    between the hooks that run still holds. Each task costs the engine
    about two milliseconds, and most operations implement one or two of
    their four hooks.
    """
    after = {hook: set() for hook in tasks}
    before = {hook: set() for hook in tasks}
    for u, v in edges:
        after[u].add(v)
        before[v].add(u)
    for hook, task_ in tasks.items():
        if task_ is not None:
            continue
        predecessors = before.pop(hook)
        successors = after.pop(hook)
        for u in predecessors:
            after[u].discard(hook)
            after[u].update(successors)
        for v in successors:
            before[v].discard(hook)
            before[v].update(predecessors)
    # Both maps were updated in step: the edges are read from one.
    return ([task_ for task_ in tasks.values() if task_ is not None],
            [(tasks[u], tasks[v]) for u, successors in after.items()
             for v in successors])


def build_resource_flow(operation_type, context, workflow_engine, plugins,
                        resource_graph, parameters, name_prefix=''):
    """Build the graph flow running ``operation_type`` on every resource.

    :param operation_type: one of ``constants.OPERATION_TYPES``.
    :param context: the request context (the tasks read it from the store).
    :param workflow_engine: a ``flows.workflow.TaskFlowEngine``.
    :param plugins: resource type -> protection plugin instance.
    :param resource_graph: the list of root ``graph.GraphNode``.
    :param parameters: ``{"Type" or "Type#id": {...}}``, or None.
    :param name_prefix: prefixed to every task and flow name, so that the
        flows of several operations can be combined in one engine.
    :raises karbor.exception.ProtectionPluginNotFound: a resource has a
        type no plugin handles.
    :raises karbor.exception.OperationNotSupported: a plugin does not
        provide the operation.
    """
    flow = workflow_engine.build_flow(
        '%sResourceGraphFlow_%s' % (name_prefix, operation_type), 'graph')
    resource_graph = resource_graph or []
    # Hooks are (resource key, hook name) until the idle ones are left out.
    tasks = {}
    edges = []
    seen = set()
    for node in graph.iter_graph_nodes(resource_graph):
        resource = node.value
        key = (resource.type, resource.id)
        if key in seen:
            continue
        seen.add(key)
        hooks = _resource_tasks(operation_type, plugins, resource,
                                parameters, name_prefix)
        tasks.update(((key, hook), hooks[hook]) for hook in constants.HOOKS)
        edges.extend(((key, first), (key, then)) for first, then in
                     zip(constants.HOOKS, constants.HOOKS[1:]))

    for parent, child in graph.iter_graph_edges(resource_graph):
        p_key = (parent.value.type, parent.value.id)
        c_key = (child.value.type, child.value.id)
        edges.append(((p_key, constants.HOOK_PREPARE_BEGIN),
                      (c_key, constants.HOOK_PREPARE_BEGIN)))
        edges.append(((c_key, constants.HOOK_PREPARE_FINISH),
                      (p_key, constants.HOOK_PREPARE_FINISH)))
        edges.append(((c_key, constants.HOOK_COMPLETE),
                      (p_key, constants.HOOK_COMPLETE)))
    running, links = _without_idle_hooks(tasks, edges)
    if running:
        workflow_engine.add_tasks(flow, *running)
    workflow_engine.link_tasks(flow, links)
    return flow
