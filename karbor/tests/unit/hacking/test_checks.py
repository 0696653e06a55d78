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

"""Tests of Karbor's local flake8 checks."""

import ddt

from karbor.hacking import checks
from karbor.tests import base


def _offences(check, line):
    return list(check(line))


@ddt.ddt
class HackingChecksTestCase(base.TestCase):

    @ddt.data('import eventlet',
              'import eventlet.green.threading',
              'from eventlet import greenthread',
              'from eventlet.green import socket',
              '    import eventlet')
    def test_eventlet_import_flagged(self, line):
        offences = _offences(checks.check_no_eventlet, line)
        self.assertEqual(1, len(offences))
        self.assertTrue(offences[0][1].startswith('K301'))

    @ddt.data('import eventlets_are_fine',
              'from karbor.common import threading_backend',
              'x = "import eventlet"',
              'import futurist')
    def test_eventlet_look_alikes_pass(self, line):
        self.assertEqual([], _offences(checks.check_no_eventlet, line))

    @ddt.data('import mock',
              'import mock.patch',
              'from mock import patch',
              'from mock.mock import MagicMock')
    def test_third_party_mock_flagged(self, line):
        offences = _offences(checks.check_no_third_party_mock, line)
        self.assertEqual(1, len(offences))
        self.assertTrue(offences[0][1].startswith('K302'))

    @ddt.data('from unittest import mock',
              'import mocked_thing',
              'from karbor.tests import mock_helpers')
    def test_stdlib_mock_passes(self, line):
        self.assertEqual([], _offences(checks.check_no_third_party_mock,
                                       line))

    @ddt.data("LOG.info(_('xxx'))",
              "LOG.warning(_('xxx %s'), name)",
              "LOG.exception( _LE('xxx'))",
              "self.LOG.error(_('xxx'))")
    def test_translated_log_flagged(self, line):
        offences = _offences(checks.check_no_log_translation, line)
        self.assertEqual(1, len(offences))
        self.assertTrue(offences[0][1].startswith('K303'))
        self.assertEqual(line.index('LOG.'), offences[0][0])

    @ddt.data("LOG.info('xxx')",
              "msg = _('xxx')",
              "LOG.debug(msg_(x))",
              "raise exception.InvalidInput(reason=_('xxx'))")
    def test_untranslated_log_passes(self, line):
        self.assertEqual([], _offences(checks.check_no_log_translation,
                                       line))
