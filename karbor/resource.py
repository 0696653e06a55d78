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

"""The identity of a protectable resource.

A ``Resource`` names one cloud resource (a server, a volume, ...) inside a
plan, a resource graph or a checkpoint. Two resources are the same when
their type, id and name match; ``extra_info`` is descriptive data that
travels with the resource but never changes its identity.
"""

import dataclasses
import typing


@dataclasses.dataclass(frozen=True)
class Resource:
    """An immutable, hashable reference to a protectable resource.

    :param type: the resource type, e.g. ``OS::Nova::Server``.
    :param id: the resource's id in its own service.
    :param name: the resource's display name.
    :param extra_info: optional JSON-compatible details (a dict or None);
        ignored by equality and hashing.
    """

    type: str
    id: str
    name: str
    extra_info: typing.Any = dataclasses.field(default=None, compare=False)

    def to_dict(self):
        """Return the plan/API representation of the resource."""
        return {'type': self.type, 'id': self.id, 'name': self.name,
                'extra_info': self.extra_info}

    @classmethod
    def from_dict(cls, data):
        """Build a resource from a plan or API dict.

        :param data: a mapping with ``type``, ``id``, ``name`` and optionally
            ``extra_info``.
        """
        return cls(type=data['type'], id=data['id'], name=data['name'],
                   extra_info=data.get('extra_info'))
