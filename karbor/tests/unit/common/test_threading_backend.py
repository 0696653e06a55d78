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

"""Karbor's processes never load eventlet and run oslo.service on threads."""

import json
import subprocess
import sys
import textwrap

from karbor.tests import base

# Runs in a fresh interpreter: this test process has already imported
# everything, so only a new one shows what importing a console script
# pulls in.
_PROBE = textwrap.dedent('''
    import importlib
    import importlib.metadata
    import json
    import sys

    scripts = sorted(
        ep.value.split(':')[0]
        for ep in importlib.metadata.entry_points(group='console_scripts')
        if ep.name.startswith('karbor-'))
    for module in scripts + ['karbor.wsgi.api']:
        importlib.import_module(module)
    import oslo_messaging  # noqa: F401  (would pick eventlet if allowed)
    from oslo_service import backend
    print(json.dumps({
        'modules': scripts,
        'eventlet_loaded': sorted(m for m in sys.modules
                                  if m == 'eventlet'
                                  or m.startswith('eventlet.')),
        'backend': backend.get_backend_type().value,
    }))
''')


class TestNoEventlet(base.TestCase):

    def _probe(self):
        out = subprocess.run([sys.executable, '-c', _PROBE], check=True,
                             capture_output=True, text=True, timeout=120)
        return json.loads(out.stdout.strip().splitlines()[-1])

    def test_console_scripts_do_not_load_eventlet(self):
        result = self._probe()
        self.assertIn('karbor.cmd.all', result['modules'])
        self.assertIn('karbor.cmd.protection', result['modules'])
        self.assertEqual([], result['eventlet_loaded'])
        self.assertEqual('threading', result['backend'])

    def test_eventlet_import_is_refused(self):
        code = ('import karbor.cmd\n'
                'try:\n'
                '    import eventlet\n'
                'except ImportError as e:\n'
                '    print("refused:", e)\n')
        out = subprocess.run([sys.executable, '-c', code], check=True,
                             capture_output=True, text=True, timeout=60)
        self.assertIn('refused: eventlet is not used by Karbor',
                      out.stdout)
