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

"""Helpers for the protection service tests: providers, plugins, records.

``make_provider`` builds a real provider from a providers.d file in a
temporary directory, with a real file-system bank. ``Records`` gives the
objects the flows and the manager write (OperationLog, Restore,
Verification) a real SQLite database.
"""

import os

import fixtures
import oslo_messaging as messaging
from oslo_messaging import conffixture as messaging_conffixture
from oslo_utils import uuidutils

from karbor.common import constants
from karbor import conf as karbor_conf
from karbor import context
from karbor import exception
from karbor import objects
from karbor import resource
from karbor import rpc
from karbor.services.protection import graph
from karbor.services.protection import protection_plugin
from karbor.services.protection.protection_plugins import noop
from karbor.services.protection import provider as provider_module
from karbor.tests.fixtures import database

CONF = karbor_conf.CONF

PROVIDER_ID = 'b766f37c-d011-4026-8228-28730d734a3f'
PROJECT_ID = 'a1b2c3d4-0000-4000-8000-000000000001'
OTHER_PROJECT_ID = 'a1b2c3d4-0000-4000-8000-000000000002'
PLAN_ID = '9c1f6a3e-5b0d-4d8e-9f6a-3e5b0d4d8e9f'

_PROVIDER_FILE = """[provider]
name = Test Provider
description = a provider of the tests
id = %(id)s
%(plugins)s
bank = karbor-fs-bank-plugin
enabled = True

[file_system_bank_plugin]
file_system_bank_path = %(bank_path)s
"""

_HERE = 'karbor.tests.unit.services.protection.fake_protection'


_COPY_DESTINATION = """
[copy_destination:%(name)s]
bank = karbor-fs-bank-plugin
availability_zone = %(name)s
file_system_bank_path = %(bank_path)s
"""


def write_provider_file(directory, bank_path, plugins=None,
                        provider_id=PROVIDER_ID, name='provider.conf',
                        copy_destinations=None):
    """Write a providers.d file; ``plugins`` default to the noop plugin.

    :param copy_destinations: optional ``[(name, bank path)]``, file-system
        copy destinations, the first one the default.
    """
    plugins = plugins or ['karbor-noop-protection-plugin']
    path = os.path.join(directory, name)
    text = _PROVIDER_FILE % {
        'id': provider_id, 'bank_path': bank_path,
        'plugins': '\n'.join('plugin = %s' % p for p in plugins)}
    if copy_destinations:
        text = text.replace(
            'enabled = True\n',
            'enabled = True\ncopy_destinations = %s\n' % ', '.join(
                n for n, _path in copy_destinations), 1)
        text += ''.join(_COPY_DESTINATION % {'name': n, 'bank_path': p}
                        for n, p in copy_destinations)
    with open(path, 'w') as f:
        f.write(text)
    return path


def make_provider(test, plugins=None, copy_destinations=()):
    """A real provider on a temporary file-system bank.

    :param copy_destinations: names of file-system copy destinations to
        add, each with its own bank under the same temporary directory.
    """
    directory = test.useFixture(fixtures.TempDir()).path
    bank_path = os.path.join(directory, 'bank')
    path = write_provider_file(
        directory, bank_path, plugins,
        copy_destinations=[(n, os.path.join(directory, 'bank-' + n))
                           for n in copy_destinations])
    return provider_module.PluggableProtectionProvider(
        provider_module.load_provider_config(path))


FAILING_PLUGIN = _HERE + '.FailingServerPlugin'


class FailingOperation(protection_plugin.Operation):
    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        raise exception.KarborException('the server plugin broke')


class FailingServerPlugin(protection_plugin.ProtectionPlugin):
    """Fails every operation on servers, in the main hook."""

    def get_protect_operation(self, resource):
        return FailingOperation()

    def get_restore_operation(self, resource):
        return FailingOperation()

    def get_verify_operation(self, resource):
        return FailingOperation()

    def get_delete_operation(self, resource):
        return FailingOperation()

    @classmethod
    def get_supported_resources_types(cls):
        return (constants.SERVER_RESOURCE_TYPE,)


class FakePlan:
    def __init__(self, resources, plan_id=PLAN_ID, provider_id=PROVIDER_ID,
                 project_id=PROJECT_ID, parameters=None, name='my plan'):
        self.id = plan_id
        self.name = name
        self.provider_id = provider_id
        self.project_id = project_id
        self.resources = resources
        self.parameters = parameters or {}


class Records(fixtures.Fixture):
    """The objects the protection service writes, on a real SQLite file.

    Helpers create restores and verifications as the API would (unsaved
    unless asked) and read rows back from the database, so assertions see
    what was really written rather than an object in memory.
    """

    def _setUp(self):
        self.useFixture(database.Database())
        self.admin = context.get_admin_context()

    @staticmethod
    def _new(object_class, ctx, provider_id, checkpoint_id, parameters,
             create, **extra):
        record = object_class(context=ctx, project_id=ctx.project_id,
                              provider_id=provider_id,
                              checkpoint_id=checkpoint_id,
                              parameters=parameters or {}, **extra)
        if create:
            record.create()
        return record

    def new_restore(self, ctx, provider_id=PROVIDER_ID,
                    checkpoint_id=None, parameters=None, create=False):
        return self._new(objects.Restore, ctx, provider_id,
                         checkpoint_id or uuidutils.generate_uuid(),
                         parameters, create, restore_target=None)

    def new_verification(self, ctx, provider_id=PROVIDER_ID,
                         checkpoint_id=None, parameters=None, create=False):
        return self._new(objects.Verification, ctx, provider_id,
                         checkpoint_id or uuidutils.generate_uuid(),
                         parameters, create)

    def operation_log(self, log_id):
        return objects.OperationLog.get_by_id(self.admin, log_id)

    def operation_logs(self, **filters):
        return list(objects.OperationLogList.get_all(self.admin,
                                                     filters=filters))

    def restore(self, restore_id):
        return objects.Restore.get_by_id(self.admin, restore_id)

    def verification(self, verification_id):
        return objects.Verification.get_by_id(self.admin, verification_id)


SERVER = {'type': constants.SERVER_RESOURCE_TYPE,
          'id': 'c6e8a1e2-1111-4e2f-9c1a-000000000001', 'name': 'server'}
VOLUME = {'type': constants.VOLUME_RESOURCE_TYPE,
          'id': 'c6e8a1e2-2222-4e2f-9c1a-000000000002', 'name': 'volume'}


def make_checkpoint(provider, resources=(SERVER, VOLUME),
                    status=constants.CHECKPOINT_STATUS_PROTECTING,
                    project_id=PROJECT_ID, extra_info=None):
    """A checkpoint of ``resources`` (no dependencies) with its graph."""
    plan = FakePlan([dict(r) for r in resources], project_id=project_id)
    checkpoint = provider.checkpoint_collection.create(
        plan, {'status': status, 'extra_info': extra_info})
    checkpoint.resource_graph = graph.build_graph(
        [resource.Resource.from_dict(r) for r in resources],
        lambda r: [])
    checkpoint.commit()
    return checkpoint


STRICT_PLUGIN = _HERE + '.StrictVolumePlugin'


class StrictVolumePlugin(protection_plugin.ProtectionPlugin):
    """The noop behaviour for volumes, with restrictive parameter schemas."""

    _SCHEMA = {'type': 'object',
               'properties': {'size': {'type': 'integer'}},
               'additionalProperties': False}

    def __init__(self, config=None):
        super().__init__(config)
        self._noop = noop.NoopProtectionPlugin(config)

    def get_protect_operation(self, resource):
        return self._noop.get_protect_operation(resource)

    def get_restore_operation(self, resource):
        return self._noop.get_restore_operation(resource)

    def get_verify_operation(self, resource):
        return self._noop.get_verify_operation(resource)

    def get_delete_operation(self, resource):
        return self._noop.get_delete_operation(resource)

    def get_copy_operation(self, resource):
        return self._noop.get_copy_operation(resource)

    @classmethod
    def get_supported_resources_types(cls):
        return (constants.VOLUME_RESOURCE_TYPE,)

    @classmethod
    def get_restore_schema(cls, resource_type):
        return dict(cls._SCHEMA)

    @classmethod
    def get_verify_schema(cls, resource_type):
        return dict(cls._SCHEMA)

    @classmethod
    def get_copy_schema(cls, resource_type):
        return dict(cls._SCHEMA)


class RpcServer(fixtures.Fixture):
    """An in-process RPC bus and a server running ``endpoints`` on it.

    The 'fake' transport of oslo.messaging carries real messages between
    threads of one process: calls cross the same serializers and
    exception handling as over RabbitMQ.
    """

    def __init__(self, endpoints, topic=None):
        super().__init__()
        self.endpoints = endpoints
        self.topic = topic

    def _setUp(self):
        conf = self.useFixture(messaging_conffixture.ConfFixture(CONF))
        conf.transport_url = 'fake:/'
        rpc.init(CONF)
        self.addCleanup(rpc.cleanup)
        target = messaging.Target(topic=self.topic or CONF.protection_topic,
                                  server=CONF.host)
        self.server = rpc.get_server(target, self.endpoints)
        self.server.start()
        self.addCleanup(self.server.wait)
        self.addCleanup(self.server.stop)
