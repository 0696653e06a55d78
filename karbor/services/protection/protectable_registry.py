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

"""The registry of protectable plugins and the resource graph builder."""

from oslo_log import log as logging
from stevedore import extension

from karbor import exception
from karbor.services.protection import graph

LOG = logging.getLogger(__name__)

NAMESPACE = 'karbor.protectables'


class ProtectableRegistry:
    """Knows every protectable type and which plugin lists it.

    The registry keeps plugin *classes*. Every call creates the plugin
    instance it needs with the caller's context, so two requests never
    share an instance bound to someone else's credentials.
    """

    def __init__(self, conf=None):
        self._conf = conf
        self._plugin_classes = {}

    def load_plugins(self):
        """Load every plugin of the ``karbor.protectables`` namespace.

        A plugin that cannot be imported or does not name its type is
        logged and skipped, so one broken package does not take every type
        down.
        """
        manager = extension.ExtensionManager(
            NAMESPACE, invoke_on_load=False,
            on_load_failure_callback=self._on_load_failure)
        for ext in manager:
            try:
                self.register_plugin(ext.plugin)
            except Exception:
                LOG.exception('Protectable plugin %s is skipped: it does '
                              'not tell its resource type', ext.name)

    @staticmethod
    def _on_load_failure(manager, entry_point, error):
        LOG.error('Protectable plugin %(name)s cannot be loaded and is '
                  'skipped: %(error)s',
                  {'name': entry_point.name, 'error': error})

    def register_plugin(self, plugin_class):
        """Register a plugin class under the type its instances report."""
        resource_type = plugin_class(None, self._conf).get_resource_type()
        self._plugin_classes[resource_type] = plugin_class

    def list_resource_types(self):
        """The protectable types, sorted."""
        return sorted(self._plugin_classes)

    def get_protectable_resource_plugin(self, resource_type, context=None):
        """A new plugin instance for ``resource_type`` bound to ``context``.

        :raises karbor.exception.ProtectableTypeNotFound:
        """
        try:
            plugin_class = self._plugin_classes[resource_type]
        except KeyError:
            raise exception.ProtectableTypeNotFound(
                protectable_type=resource_type)
        return plugin_class.instance(context, self._conf)

    def _plugins(self, context):
        return [cls.instance(context, self._conf)
                for cls in self._plugin_classes.values()]

    def show_protectable_type(self, resource_type):
        """``{"name", "dependent_types"}`` of a type.

        The dependent types are those whose resources a resource of this
        type may depend on, i.e. the plugins naming it as a parent.
        """
        self.get_protectable_resource_plugin(resource_type)
        dependents = sorted(
            plugin.get_resource_type() for plugin in self._plugins(None)
            if resource_type in _parent_types(plugin))
        return {'name': resource_type, 'dependent_types': dependents}

    def list_resources(self, context, resource_type, parameters=None):
        plugin = self.get_protectable_resource_plugin(resource_type, context)
        return plugin.list_resources(context, parameters=parameters)

    def show_resource(self, context, resource_type, resource_id,
                      parameters=None):
        plugin = self.get_protectable_resource_plugin(resource_type, context)
        return plugin.show_resource(context, resource_id,
                                    parameters=parameters)

    def fetch_dependent_resources(self, context, resource):
        """Every resource that ``resource`` depends on, over all plugins.

        A plugin that fails to list them is logged and contributes no
        resource: a missing child is a smaller checkpoint, while a failure
        here would make any plan with that parent type unprotectable.
        """
        dependents = []
        for plugin in self._plugins(context):
            if resource.type not in _parent_types(plugin):
                continue
            try:
                dependents.extend(
                    plugin.get_dependent_resources(context, resource) or [])
            except Exception as e:
                LOG.warning('Listing the %(type)s resources that %(ptype)s '
                            '%(pid)s depends on failed, ignoring them: '
                            '%(error)s',
                            {'type': plugin.get_resource_type(),
                             'ptype': resource.type, 'pid': resource.id,
                             'error': e})
        return dependents

    def build_graph(self, context, resources):
        """Build the resource graph of ``resources`` and their dependents.

        :returns: the list of root :class:`graph.GraphNode`.
        """
        return graph.build_graph(
            resources,
            lambda resource: self.fetch_dependent_resources(context,
                                                            resource))


def _parent_types(plugin):
    parents = plugin.get_parent_resource_types() or ()
    # Upstream plugins sometimes return one type as a bare string.
    if isinstance(parents, str):
        return (parents,)
    return tuple(parents)
