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

"""The project protectable: the caller's own Keystone project.

A project is the root of a "protect everything" plan. Listing it needs no
other service: the request context already names the project.
"""

from karbor.common import constants
from karbor import exception
from karbor import resource as karbor_resource
from karbor.services.protection import protectable_plugin


class ProjectProtectablePlugin(protectable_plugin.ProtectablePlugin):
    """Lists exactly the caller's project."""

    def get_resource_type(self):
        return constants.PROJECT_RESOURCE_TYPE

    def get_parent_resource_types(self):
        return ()

    @staticmethod
    def _project(context):
        return karbor_resource.Resource(
            type=constants.PROJECT_RESOURCE_TYPE,
            id=context.project_id,
            name=getattr(context, 'project_name', None) or context.project_id,
            extra_info=None)

    def list_resources(self, context, parameters=None):
        return [self._project(context)]

    def show_resource(self, context, resource_id, parameters=None):
        if resource_id != context.project_id:
            raise exception.ProtectableResourceNotFound(
                resource_id=resource_id,
                resource_type=constants.PROJECT_RESOURCE_TYPE,
                reason='only the project of the request can be protected')
        return self._project(context)

    def get_dependent_resources(self, context, parent_resource):
        # A project has no parent type, so nothing asks for its parents.
        return []
