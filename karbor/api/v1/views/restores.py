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

"""The JSON views of restores and verifications."""


def restore(obj):
    """The restore view.

    ``{id, project_id, provider_id, checkpoint_id, restore_target,
    parameters, status, resources_status, resources_reason}``
    """
    view = verification(obj)
    view['restore_target'] = obj.restore_target
    return view


def verification(obj):
    """The verification view.

    ``{id, project_id, provider_id, checkpoint_id, parameters, status,
    resources_status, resources_reason}``
    """
    return {
        'id': obj.id,
        'project_id': obj.project_id,
        'provider_id': obj.provider_id,
        'checkpoint_id': obj.checkpoint_id,
        'parameters': obj.parameters or {},
        'status': obj.status,
        'resources_status': obj.resources_status or {},
        'resources_reason': obj.resources_reason or {},
    }
