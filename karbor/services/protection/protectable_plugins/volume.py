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

"""The VOLUME_RESOURCE_TYPE protectable (OS::Cinder::Volume)."""

from karbor.common import constants
from karbor.services.protection.protectable_plugins import service_backed


class VolumeProtectablePlugin(service_backed.ServiceProtectablePlugin):
    """Lists volumes through the cinder service."""

    RESOURCE_TYPE = constants.VOLUME_RESOURCE_TYPE
    PARENT_TYPES = (constants.SERVER_RESOURCE_TYPE,
                    constants.POD_RESOURCE_TYPE,
                    constants.PROJECT_RESOURCE_TYPE)
    SERVICE = 'cinder'
    CATALOG_TYPES = ('volumev3', 'block-storage', 'volume')
