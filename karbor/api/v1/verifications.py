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

"""The verifications API: /v1/{project_id}/verifications."""

from karbor.api import common
from karbor.api import policy_checks
from karbor.api.schemas import verifications as schemas
from karbor.api.v1 import listing
from karbor.api.v1.views import restores as views
from karbor.api import validation
from karbor.api import wsgi
from karbor.common import constants
from karbor import conf as karbor_conf
from karbor import exception
from karbor import objects
from karbor.policies import verifications as policy
from karbor.services.protection import api as protection_api

CONF = karbor_conf.CONF

SORT_KEYS = ('id', 'status', 'provider_id', 'checkpoint_id', 'project_id',
             'created_at', 'updated_at')


class VerificationsController:
    """Start verifications of checkpoints and follow them."""

    def __init__(self):
        self.protection_api = protection_api.API()

    def index(self, req):
        req.context.can(policy.GET_ALL_POLICY)
        verifications, limit = listing.list_objects(
            req, objects.VerificationList, CONF.query_verification_filters,
            SORT_KEYS)
        items = [views.verification(v) for v in verifications]
        result = {'verifications': items}
        result.update(common.collection_links(req, items, 'verifications',
                                              limit))
        return result

    def show(self, req, id):
        context = req.context
        common.validate_uuid(id, 'verification id')
        verification = objects.Verification.get_by_id(context, id)
        policy_checks.check_object(
            context, policy.GET_POLICY, verification.project_id,
            hide=exception.VerificationNotFound(verification_id=id))
        return {'verification': views.verification(verification)}

    @validation.schema(schemas.create)
    def create(self, req, body):
        context = req.context
        context.can(policy.CREATE_POLICY)
        values = body['verification']
        # Unsaved: the protection service validates, then writes the row.
        verification = objects.Verification(
            context=context,
            project_id=context.project_id,
            provider_id=values['provider_id'],
            checkpoint_id=values['checkpoint_id'],
            parameters=values.get('parameters') or {},
            status=constants.VERIFICATION_STATUS_IN_PROGRESS)
        verification = self.protection_api.verification(
            context, verification)
        return {'verification': views.verification(verification)}


def create_resource():
    return wsgi.Resource(VerificationsController())
