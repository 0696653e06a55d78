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

"""All of Karbor's configuration options, registered on the global CONF.

Each module of this package holds the options of one concern and a
``register_opts(conf)`` function; ``karbor.conf.opts.list_opts`` lists them
for oslo-config-generator and the configuration reference.
"""

from oslo_config import cfg

from karbor.conf import api
from karbor.conf import clients
from karbor.conf import database
from karbor.conf import protection
from karbor.conf import quota
from karbor.conf import service

CONF = cfg.CONF

api.register_opts(CONF)
clients.register_opts(CONF)
database.register_opts(CONF)
protection.register_opts(CONF)
quota.register_opts(CONF)
service.register_opts(CONF)
