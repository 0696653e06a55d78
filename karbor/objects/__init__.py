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

"""Karbor's versioned objects: the only way to the database.

Call ``register_all()`` once (services and tests do) and use the classes
as ``karbor.objects.Plan``, ``karbor.objects.RestoreList`` and so on.
"""

import importlib

_MODULES = (
    'checkpoint_copy',
    'checkpoint_record',
    'operation_log',
    'plan',
    'restore',
    'scheduled_operation',
    'scheduled_operation_log',
    'scheduled_operation_state',
    'service',
    'trigger',
    'verification',
)


def register_all():
    """Import every object module, which registers its classes."""
    for name in _MODULES:
        importlib.import_module('karbor.objects.' + name)
