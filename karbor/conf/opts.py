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

"""Lists every option for oslo-config-generator and the docs."""

import collections
import copy

from karbor.conf import api
from karbor.conf import clients
from karbor.conf import database
from karbor.conf import protection
from karbor.conf import quota
from karbor.conf import service

_MODULES = (api, clients, database, protection, quota, service)


def list_opts():
    """Return a list of (group, options) pairs, groups sorted by name."""
    grouped = collections.defaultdict(list)
    for module in _MODULES:
        for group, opts in module.list_opts().items():
            grouped[group].extend(opts)
    return [(group, copy.deepcopy(grouped[group]))
            for group in sorted(grouped)]
