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

"""Quota options."""

from oslo_config import cfg

quota_opts = [
    cfg.IntOpt('quota_plans',
               default=50,
               min=-1,
               help='Number of plans allowed per project; -1 for '
                    'unlimited.'),
    cfg.IntOpt('quota_checkpoints',
               default=-1,
               min=-1,
               help='Number of checkpoints allowed per project; -1 for '
                    'unlimited.'),
    cfg.IntOpt('reservation_expire',
               default=86400,
               min=1,
               help='Seconds until a reservation expires.'),
    cfg.IntOpt('until_refresh',
               default=0,
               min=0,
               help='Count of reservations until usage is refreshed.'),
    cfg.IntOpt('max_age',
               default=0,
               min=0,
               help='Seconds between subsequent usage refreshes.'),
    cfg.StrOpt('quota_driver',
               default='karbor.quota.DbQuotaDriver',
               help='Full class name of the quota driver.'),
]


def register_opts(conf):
    conf.register_opts(quota_opts)


def list_opts():
    return {'DEFAULT': quota_opts}
