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

"""The interface of protectable plugins.

A protectable plugin lists and shows the resources of one type (servers,
volumes...) that a user may put in a plan, and tells which resources of its
type a resource of another type depends on. The latter builds the resource
graph of a checkpoint: a server's attached volumes, for instance, are its
children, so they are protected together with it.

Plugins are registered in the ``karbor.protectables`` entry-point namespace.
The registry creates a new instance for every request, bound to that
request's context: a plugin may keep per-request state (clients built with
the caller's token) on ``self``.
"""

import abc


class ProtectablePlugin(metaclass=abc.ABCMeta):
    """Base class of protectable plugins.

    :param context: the request context the instance serves, or None.
    :param conf: the configuration object (``karbor.conf.CONF`` unless a
        test passes its own).
    """

    def __init__(self, context=None, conf=None):
        self._context = context
        self._conf = conf

    @classmethod
    def instance(cls, context=None, conf=None):
        """A new instance of the same class for another request."""
        return cls(context, conf)

    @abc.abstractmethod
    def get_resource_type(self):
        """Return the resource type this plugin lists, as a string."""

    @abc.abstractmethod
    def get_parent_resource_types(self):
        """Return the types whose resources may depend on this type's.

        For each of them :meth:`get_dependent_resources` is called with a
        resource of that type.
        """

    @abc.abstractmethod
    def list_resources(self, context, parameters=None):
        """List the resources of this type the caller may protect.

        :param parameters: an optional dict narrowing the listing (for
            instance a region); plugins ignore keys they do not know.
        :returns: a list of :class:`karbor.resource.Resource`.
        """

    @abc.abstractmethod
    def show_resource(self, context, resource_id, parameters=None):
        """Return the :class:`karbor.resource.Resource` with this id.

        :raises karbor.exception.ProtectableResourceNotFound: when there is
            no such resource for the caller.
        """

    @abc.abstractmethod
    def get_dependent_resources(self, context, parent_resource):
        """List the resources of this type that ``parent_resource`` uses.

        :param parent_resource: a :class:`karbor.resource.Resource` whose
            type is one of :meth:`get_parent_resource_types`.
        :returns: a list of :class:`karbor.resource.Resource`, possibly
            empty.
        """
