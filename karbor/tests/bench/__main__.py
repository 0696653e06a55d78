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

"""Entry point of ``tox -e bench`` (``python -m karbor.tests.bench``)."""

import argparse
import sys

from karbor.tests.bench import api_bench
from karbor.tests.bench import copy_bench
from karbor.tests.bench import flow_bench


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m karbor.tests.bench',
        description="Benchmarks of Karbor on karbor-all's embedded default.")
    parser.add_argument('which', nargs='?', default='all',
                        choices=['all', 'api', 'copy', 'flow'],
                        help='which benchmark to run (default: all)')
    parser.add_argument('--copy-scale', type=float, default=1.0,
                        help='fraction of the copy data sizes to use')
    parser.add_argument('--copy-rounds', type=int, default=3,
                        help='times each copy case is measured, '
                             'interleaved with its baselines (default: 3)')
    parser.add_argument('--checkpoints', type=int, default=10000,
                        help='checkpoints in the bank (default: 10000)')
    parser.add_argument('--requests', type=int, default=400,
                        help='requests per measured operation')
    parser.add_argument('--concurrency', type=int, default=4,
                        help='client threads')
    args = parser.parse_args(argv)
    if args.which in ('all', 'api'):
        api_bench.run(args.checkpoints, args.requests, args.concurrency)
    if args.which in ('all', 'copy'):
        copy_bench.run(args.copy_scale, args.copy_rounds)
    if args.which in ('all', 'flow'):
        flow_bench.run()
    return 0


if __name__ == '__main__':
    sys.exit(main())
