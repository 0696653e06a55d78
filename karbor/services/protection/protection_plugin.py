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

"""The interface of protection plugins.

A protection plugin knows how to protect, restore, verify, delete and copy
the resources of one or more types (``OS::Cinder::Volume``...). For every
resource of a checkpoint the protection service asks the plugin for an
:class:`Operation` and runs its four hooks as tasks of one flow, in the
order of the resource graph:

* ``on_prepare_begin`` of a parent runs before ``on_prepare_begin`` of its
  children: the place to freeze or quiesce a parent before its children are
  touched.
* ``on_prepare_finish`` of every child runs before ``on_prepare_finish`` of
  its parent.
* ``on_main`` of a resource runs after its own ``on_prepare_finish``; the
  ``on_main`` hooks of different resources are independent and may run in
  parallel. This is where the long work (copying data) belongs.
* ``on_complete`` of every child runs before ``on_complete`` of its
  parent.

A failing hook fails the whole operation: the checkpoint (or restore,
verification, copy) and its operation log are marked as failed with the
error as reason.
"""

import abc

from karbor.common import constants
from karbor import exception


def empty_schema():
    """A fresh JSON schema accepting any object: the default of a plugin."""
    return {"type": "object", "properties": {}}


class Operation:
    """What a plugin does for one resource during one operation.

    Every hook is optional: the base implementations do nothing, so a
    subclass overrides only the hooks it needs. Hooks run on worker threads
    and may block.

    Each hook is called as ``hook(checkpoint, resource, context, parameters,
    **kwargs)``:

    ``checkpoint``
        The :class:`karbor.services.protection.checkpoint.Checkpoint` the
        operation works on. ``checkpoint.get_resource_bank_section(
        resource.id)`` is the bank section where the plugin keeps the
        resource's data (by convention a ``status`` string and a
        ``metadata`` object, plus any data objects).
    ``resource``
        The :class:`karbor.resource.Resource` (``type``, ``id``, ``name``,
        ``extra_info``).
    ``context``
        The :class:`karbor.context.RequestContext` of the request that
        started the operation.
    ``parameters``
        A dict: the plan's (or the request's) parameters of the resource's
        type, overlaid with those given for this very resource
        (``"Type#id"``).

    Keyword arguments, depending on the operation (accept ``**kwargs`` so a
    later addition does not break a plugin):

    every operation
        ``operation_log``: the operation log object of the operation.
    restore
        ``restore``: the Restore object, whose per-resource status the
        plugin updates (see ``protection_plugins.utils``);
        ``new_resources``: a dict shared by all tasks of the operation, in
        which a plugin records the id of the resource it restored
        (keyed by the original resource id) so that a parent can find its
        restored children; ``restore_auth``: the credentials given with the
        restore request, or None.
    verify
        ``verify``: the Verification object; ``new_resources`` as above.
    copy
        ``checkpoint_copy``: the checkpoint being written in the destination
        bank. ``checkpoint`` is then the *source* checkpoint, which must be
        treated as read only.
    """

    def on_prepare_begin(self, checkpoint, resource, context, parameters,
                         **kwargs):
        """Runs first, parents before children."""

    def on_prepare_finish(self, checkpoint, resource, context, parameters,
                          **kwargs):
        """Runs after the children's prepare_finish hooks."""

    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        """The main work; independent of the other resources' main hooks."""

    def on_complete(self, checkpoint, resource, context, parameters,
                    **kwargs):
        """Runs last, after the children's complete hooks."""


class ProtectionPlugin(metaclass=abc.ABCMeta):
    """Base class of protection plugins.

    A plugin is registered in the ``karbor.protections`` entry-point
    namespace and named by a provider's ``plugin`` option. The provider
    creates a new instance for every operation, passing the provider's own
    configuration (the ``cfg.ConfigOpts`` of its providers.d file, in which
    the plugin may register and read its own option group).

    Protect, restore and delete are mandatory. Verify and copy are optional:
    a plugin that does not override :meth:`get_verify_operation` or
    :meth:`get_copy_operation` does not support them, which
    :meth:`supports_operation` reports before any work starts.

    The ``get_*_schema`` class methods return JSON schemas (draft 4) of the
    parameters a user may pass for a resource type; the API and the
    protection service validate parameters against them. They default to an
    object with no declared property.
    """

    def __init__(self, config=None):
        self._config = config

    @abc.abstractmethod
    def get_protect_operation(self, resource):
        """Return the :class:`Operation` that protects ``resource``."""

    @abc.abstractmethod
    def get_restore_operation(self, resource):
        """Return the :class:`Operation` that restores ``resource``."""

    @abc.abstractmethod
    def get_delete_operation(self, resource):
        """Return the :class:`Operation` deleting the resource's backup."""

    def get_verify_operation(self, resource):
        """Return the :class:`Operation` checking the resource's backup.

        :raises karbor.exception.OperationNotSupported: unless overridden.
        """
        raise exception.OperationNotSupported(
            operation=constants.OPERATION_VERIFY,
            resource_type=resource.type)

    def get_copy_operation(self, resource):
        """Return the :class:`Operation` copying the resource's backup.

        The operation reads the backup from the source checkpoint (the
        ``checkpoint`` argument of its hooks) and writes it to the
        ``checkpoint_copy`` keyword argument's checkpoint.

        :raises karbor.exception.OperationNotSupported: unless overridden.
        """
        raise exception.OperationNotSupported(
            operation=constants.OPERATION_COPY,
            resource_type=resource.type)

    @classmethod
    def supports_operation(cls, operation_type):
        """Tell whether this plugin class provides ``operation_type``.

        Used to refuse a request (for instance a copy) before anything is
        created when a plugin of the plan cannot carry it out.
        """
        if operation_type not in constants.OPERATION_TYPES:
            return False
        name = 'get_%s_operation' % operation_type
        method = getattr(cls, name, None)
        if method is None:
            return False
        if getattr(method, '__isabstractmethod__', False):
            return False
        # An operation is optional only when the base class refuses it.
        return method is not getattr(ProtectionPlugin, name)

    @classmethod
    @abc.abstractmethod
    def get_supported_resources_types(cls):
        """Return the resource types (strings) this plugin protects."""

    @classmethod
    def get_options_schema(cls, resource_type):
        """JSON schema of the protect parameters of ``resource_type``."""
        return empty_schema()

    @classmethod
    def get_saved_info_schema(cls, resource_type):
        """JSON schema of what :meth:`get_saved_info` returns."""
        return empty_schema()

    @classmethod
    def get_restore_schema(cls, resource_type):
        """JSON schema of the restore parameters of ``resource_type``."""
        return empty_schema()

    @classmethod
    def get_verify_schema(cls, resource_type):
        """JSON schema of the verify parameters of ``resource_type``."""
        return empty_schema()

    @classmethod
    def get_copy_schema(cls, resource_type):
        """JSON schema of the copy parameters of ``resource_type``.

        A copy request's ``parameters`` for this type are checked against
        it before anything is created; a plugin whose copy operation
        takes no options should return a schema that refuses any.
        """
        return empty_schema()

    @classmethod
    def get_saved_info(cls, metadata_store, resource):
        """Return what the plugin saved about ``resource``, or None.

        :param metadata_store: the resource's bank section in a checkpoint.
        """
        return None
