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

"""The JSON view of a copy request."""

_DESTINATION_FIELDS = ('name', 'region', 'availability_zone', 'description',
                       'default')


def _destination(destination):
    destination = destination or {}
    return {field: destination.get(field) for field in _DESTINATION_FIELDS}


def detail(result, project_id, provider_id, plan_id):
    """The answer to a copy request.

    A superset of upstream's answer (``project_id``, ``provider_id``,
    ``plan_id``, ``parameters``, ``checkpoint_id``) and of the original
    specification's (``id``, ``status``).

    :param result: what the protection service's ``copy`` returned:
        ``{"id", "status", "parameters", "destination", "checkpoint_id"}``;
        its parameters are the checked ones the copy uses (strings read
        as their options' types).
    """
    pairs = [{'checkpoint_protect_id': pair['checkpoint_protect_id'],
              'checkpoint_copy_id': pair['checkpoint_copy_id']}
             for pair in result.get('checkpoint_id') or ()]
    return {
        'id': result['id'],
        'status': result['status'],
        'project_id': project_id,
        'provider_id': provider_id,
        'plan_id': plan_id,
        'parameters': result.get('parameters') or {},
        'destination': _destination(result.get('destination')),
        'checkpoint_id': pairs,
    }
