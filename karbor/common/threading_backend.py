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

"""Keep Karbor's processes free of eventlet.

Two things happen when this module is imported, and every entry point
(console scripts, the WSGI module, the test package) imports it first:

* oslo.service's threading backend is selected. oslo.messaging imports
  oslo.service, which would otherwise initialise the eventlet backend.
* ``import eventlet`` is refused. eventlet is still installed as a
  dependency of oslo.service, and libraries such as futurist import it
  opportunistically when they find it; refusing it here means no library can
  pick it up by accident, and a process of ours never has it loaded.
"""

import importlib.abc
import sys

from oslo_service import backend

_REFUSED = 'eventlet'


class _EventletRefused(importlib.abc.MetaPathFinder):
    """A meta path finder that makes ``import eventlet`` fail."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == _REFUSED or fullname.startswith(_REFUSED + '.'):
            raise ImportError('eventlet is not used by Karbor, which runs '
                              'on native threads', name=fullname)
        return None


def refuse_eventlet():
    if not any(isinstance(f, _EventletRefused) for f in sys.meta_path):
        sys.meta_path.insert(0, _EventletRefused())


def select():
    refuse_eventlet()
    try:
        backend.init_backend(backend.BackendType.THREADING)
    except backend.exceptions.BackendAlreadySelected:
        pass


select()
