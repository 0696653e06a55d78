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

"""The JSON view of a plan."""


def _resource(resource):
    view = {'id': resource['id'], 'type': resource['type'],
            'name': resource['name']}
    # Upstream only shows extra_info when the resource has some.
    if resource.get('extra_info') is not None:
        view['extra_info'] = resource['extra_info']
    return view


def detail(plan):
    """The plan view.

    ``{id, name, description, resources, provider_id, status, parameters}``
    """
    return {
        'id': plan.id,
        'name': plan.name,
        'description': plan.description,
        'resources': [_resource(r) for r in plan.resources or []],
        'provider_id': plan.provider_id,
        'status': plan.status,
        'parameters': plan.parameters or {},
    }
