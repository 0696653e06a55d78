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

"""``openstack data protection checkpoint copy``.

Registered in the ``openstack.data_protection.v1`` entry-point group, so it
appears beside python-karborclient's own commands and uses the same client
(``client_manager.data_protection``).
"""

import json

from karborclient.common.apiclient import exceptions
from karborclient import utils
from osc_lib.command import command
from oslo_utils import uuidutils

from karbor_copy_client.v1 import copies


def _size(count):
    value = float(count)
    for unit in ('B', 'KiB', 'MiB', 'GiB', 'TiB'):
        if value < 1024 or unit == 'TiB':
            return ('%d %s' % (value, unit) if unit == 'B'
                    else '%.1f %s' % (value, unit))
        value /= 1024


def describe_progress(operation_log):
    """One line about a copy's state, e.g. for a terminal."""
    counters = copies.progress(operation_log)
    line = 'copy %s: %s' % (operation_log.get('id'),
                            operation_log.get('status'))
    if 'objects_total' in counters:
        line += ', %d of %d objects' % (counters.get('objects_done', 0),
                                        counters['objects_total'])
    if 'bytes_total' in counters:
        line += ', %s of %s' % (_size(counters.get('bytes_done', 0)),
                                _size(counters['bytes_total']))
    return line


def format_copy(copy):
    """The answer of a copy request as ShowOne columns and values."""
    destination = copy.get('destination') or {}
    pairs = copy.get('checkpoint_id') or []
    fields = {
        'id': copy.get('id'),
        'status': copy.get('status'),
        'project_id': copy.get('project_id'),
        'provider_id': copy.get('provider_id'),
        'plan_id': copy.get('plan_id'),
        'parameters': json.dumps(copy.get('parameters') or {},
                                 indent=2, sort_keys=True),
        'destination': destination.get('name'),
        'destination_region': destination.get('region'),
        'destination_availability_zone':
            destination.get('availability_zone'),
        'checkpoints': '\n'.join(
            '%s -> %s' % (pair['checkpoint_protect_id'],
                          pair['checkpoint_copy_id']) for pair in pairs),
    }
    columns = tuple(sorted(fields))
    return columns, tuple(fields[column] for column in columns)


class CopyCheckpoints(command.ShowOne):
    """Copy the uncopied checkpoints of a plan to a copy destination."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'provider_id', metavar='<provider_id>',
            help='ID of the provider.')
        parser.add_argument(
            'plan_id', metavar='<plan_id>',
            help='ID of the plan whose checkpoints are copied.')
        parser.add_argument(
            '--destination', metavar='<name>', default=None,
            help='Name of one of the provider\'s copy destinations '
                 '(see "provider show"). Default: the provider\'s default '
                 'copy destination.')
        parser.add_argument(
            '--parameters-json', type=str, dest='parameters_json',
            metavar='<parameters>', default=None,
            help='Copy parameters in JSON format.')
        parser.add_argument(
            '--parameters', action='append',
            metavar='resource_type=<type>[,resource_id=<id>,key=val,...]',
            default=[],
            help='Copy parameters, may be given several times. '
                 'resource_type: the type of resource the parameters apply '
                 'to. resource_id: limit them to one resource. Other keys '
                 'and values: for the protection plugin.')
        parser.add_argument(
            '--wait', action='store_true', default=False,
            help='Wait until the copy ends, showing its progress on '
                 'standard error; fail if the copy fails.')
        parser.add_argument(
            '--wait-timeout', type=float, metavar='<seconds>', default=None,
            help='With --wait, give up after this many seconds '
                 '(default: no limit).')
        parser.add_argument(
            '--poll-interval', type=float, metavar='<seconds>', default=2.0,
            help='With --wait, seconds between two polls (default: 2).')
        return parser

    def take_action(self, parsed_args):
        for name in ('provider_id', 'plan_id'):
            if not uuidutils.is_uuid_like(getattr(parsed_args, name)):
                raise exceptions.CommandError(
                    'Invalid %s provided.' % name.replace('_', ' '))
        parameters = utils.extract_parameters(parsed_args)
        manager = copies.CopyManager(self.app.client_manager.data_protection)
        copy = manager.create(parsed_args.provider_id, parsed_args.plan_id,
                              parameters=parameters,
                              destination=parsed_args.destination)
        if parsed_args.wait:
            copy = self._wait(manager, copy, parsed_args)
        return format_copy(copy)

    def _wait(self, manager, copy, parsed_args):
        def say(line):
            self.app.stderr.write(line + '\n')
            self.app.stderr.flush()

        def unreachable(error):
            say('copy %s: the service cannot be reached (%s), still '
                'waiting' % (copy['id'], error))

        try:
            log = manager.wait(copy['id'], interval=parsed_args.poll_interval,
                               timeout=parsed_args.wait_timeout,
                               on_progress=lambda log: say(
                                   describe_progress(log)),
                               on_unreachable=unreachable)
        except copies.CopyTimeout as e:
            raise exceptions.CommandError(str(e))
        if log.get('status') in copies.FAILURE_STATUSES:
            raise exceptions.CommandError(
                'Copy %s failed: %s' % (copy['id'],
                                        log.get('error_info') or
                                        'no reason given'))
        return dict(copy, status=log.get('status'))
