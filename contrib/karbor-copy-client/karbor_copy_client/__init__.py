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

"""Checkpoint copy for python-karborclient.

An OpenStackClient command, ``openstack data protection checkpoint copy``
(:mod:`karbor_copy_client.osc`), and a Python API
(:class:`karbor_copy_client.v1.copies.CopyManager`) that work beside the
unmodified python-karborclient 2.1.0.
"""
