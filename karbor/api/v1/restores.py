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

"""The restores API: /v1/{project_id}/restores."""

from karbor.api import common
from karbor.api import policy_checks
from karbor.api.schemas import restores as schemas
from karbor.api.v1 import listing
from karbor.api.v1.views import restores as views
from karbor.api import validation
from karbor.api import wsgi
from karbor.common import constants
from karbor import conf as karbor_conf
from karbor import exception
from karbor import objects
from karbor.policies import restores as policy
from karbor.services.protection import api as protection_api

CONF = karbor_conf.CONF

SORT_KEYS = ('id', 'status', 'provider_id', 'checkpoint_id',
             'restore_target', 'project_id', 'created_at', 'updated_at')


class RestoresController:
    """Start restores from checkpoints and follow them."""

    def __init__(self):
        self.protection_api = protection_api.API()

    def index(self, req):
        req.context.can(policy.GET_ALL_POLICY)
        restores, limit = listing.list_objects(
            req, objects.RestoreList, CONF.query_restore_filters, SORT_KEYS)
        items = [views.restore(restore) for restore in restores]
        result = {'restores': items}
        result.update(common.collection_links(req, items, 'restores',
                                              limit))
        return result

    def show(self, req, id):
        context = req.context
        common.validate_uuid(id, 'restore id')
        restore = objects.Restore.get_by_id(context, id)
        policy_checks.check_object(
            context, policy.GET_POLICY, restore.project_id,
            hide=exception.RestoreNotFound(restore_id=id))
        return {'restore': views.restore(restore)}

    @validation.schema(schemas.create)
    def create(self, req, body):
        context = req.context
        context.can(policy.CREATE_POLICY)
        values = body['restore']
        # Unsaved: the protection service checks the provider, the
        # checkpoint and the parameters, and only then writes the row.
        restore = objects.Restore(
            context=context,
            project_id=context.project_id,
            provider_id=values['provider_id'],
            checkpoint_id=values['checkpoint_id'],
            restore_target=values.get('restore_target'),
            parameters=values['parameters'],
            status=constants.RESTORE_STATUS_IN_PROGRESS)
        restore = self.protection_api.restore(
            context, restore, values.get('restore_auth'))
        return {'restore': views.restore(restore)}


def create_resource():
    return wsgi.Resource(RestoresController())
