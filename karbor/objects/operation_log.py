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

"""OperationLog: the record of one protect, delete, restore, verify or copy.
"""

from oslo_serialization import jsonutils

from karbor.objects import base
from karbor.objects import fields

# The progress keys long operations keep in extra_info.
PROGRESS_KEYS = ('objects_done', 'objects_total', 'bytes_done',
                 'bytes_total')


@base.KarborObjectRegistry.register
class OperationLog(base.KarborDbObject, base.KarborObject,
                   base.KarborObjectDictCompat):
    """An operation log.

    ``extra_info`` is a JSON text (upstream's type, kept on the wire).
    Flows keep the progress of a long operation (copy above all) there as
    ``objects_done``, ``objects_total``, ``bytes_done`` and
    ``bytes_total``: use ``set_progress()``/``get_progress()`` rather than
    editing the text. ``error_info`` holds the reason of a failure.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'operation_log'

    fields = {
        'id': fields.UUIDField(),
        'project_id': fields.StringField(),
        'operation_type': fields.StringField(),
        'checkpoint_id': fields.UUIDField(nullable=True),
        'plan_id': fields.UUIDField(nullable=True),
        'provider_id': fields.UUIDField(nullable=True),
        'restore_id': fields.UUIDField(nullable=True),
        'scheduled_operation_id': fields.UUIDField(nullable=True),
        'status': fields.StringField(nullable=True),
        'started_at': fields.DateTimeField(nullable=True),
        'ended_at': fields.DateTimeField(nullable=True),
        'error_info': fields.StringField(nullable=True),
        'extra_info': fields.StringField(nullable=True),
    }

    def get_extra_info(self):
        """``extra_info`` decoded; {} when unset or not a JSON object."""
        text = self.extra_info if self.obj_attr_is_set('extra_info') else None
        if not text:
            return {}
        try:
            value = jsonutils.loads(text)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def get_progress(self):
        """The progress keys present in ``extra_info``."""
        info = self.get_extra_info()
        return {key: info[key] for key in PROGRESS_KEYS if key in info}

    def set_progress(self, save=True, **progress):
        """Merge progress counters into ``extra_info`` (and save).

        :param progress: any of ``objects_done``, ``objects_total``,
            ``bytes_done``, ``bytes_total`` (non-negative integers).
        :raises ValueError: for another key or a bad value.
        """
        for key, value in progress.items():
            if key not in PROGRESS_KEYS:
                raise ValueError('unknown progress key %s' % key)
            if (not isinstance(value, int) or isinstance(value, bool)
                    or value < 0):
                raise ValueError('%s must be a non-negative integer, not %r'
                                 % (key, value))
        info = self.get_extra_info()
        info.update(progress)
        self.extra_info = jsonutils.dumps(info, sort_keys=True)
        if save:
            self.save()


@base.KarborObjectRegistry.register
class OperationLogList(base.KarborDbObjectListByProject, base.KarborObject):
    """A list of operation logs."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'OperationLog'

    fields = {
        'objects': fields.ListOfObjectsField('OperationLog'),
    }
