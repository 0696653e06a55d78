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

"""Service: a running Karbor service, as os-services shows it."""

from karbor.objects import base
from karbor.objects import fields


@base.KarborObjectRegistry.register
class Service(base.KarborDbObject, base.KarborObject,
              base.KarborObjectDictCompat):
    """A service (binary on a host) with its report count."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'service'

    fields = {
        'id': fields.IntegerField(),
        'host': fields.StringField(nullable=True),
        'binary': fields.StringField(nullable=True),
        'topic': fields.StringField(nullable=True),
        'report_count': fields.IntegerField(default=0),
        'disabled': fields.BooleanField(default=False),
        'disabled_reason': fields.StringField(nullable=True),
        'modified_at': fields.DateTimeField(nullable=True),
        'rpc_current_version': fields.StringField(nullable=True),
        'rpc_available_version': fields.StringField(nullable=True),
    }

    @classmethod
    def get_by_host_and_topic(cls, context, host, topic):
        """The enabled service on ``host`` for ``topic``."""
        db_obj = cls._db_call('get_by_host_and_topic', context, host, topic)
        return cls._from_db_object(context, cls(context), db_obj)

    @classmethod
    def get_by_args(cls, context, host, binary):
        """The service ``binary`` on ``host``; ``HostBinaryNotFound``."""
        db_obj = cls._db_call('get_by_args', context, host, binary)
        return cls._from_db_object(context, cls(context), db_obj)

    @classmethod
    def get_by_host_and_binary(cls, context, host, binary):
        """Same as ``get_by_args``."""
        return cls.get_by_args(context, host, binary)


@base.KarborObjectRegistry.register
class ServiceList(base.ObjectListBase, base.KarborObject):
    """A list of services."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Service'),
    }

    @classmethod
    def get_all(cls, context, filters=None):
        """Services matching exact filters (host, binary, topic, disabled)."""
        db_objs = Service._db_call('get_all', context, filters)
        return base.make_list(context, cls, Service, db_objs)

    @classmethod
    def get_all_by_topic(cls, context, topic, disabled=None):
        """Services on ``topic``."""
        db_objs = Service._db_call('get_all_by_topic', context, topic,
                                   disabled=disabled)
        return base.make_list(context, cls, Service, db_objs)
