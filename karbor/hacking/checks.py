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

"""Karbor's local flake8 checks (K3xx), registered in tox.ini.

Each check is a flake8 logical-line plugin: it gets one logical line at a
time (comments removed, string contents blanked) and yields
``(offset, message)`` for every offence. Guidelines for adding one:

* number it in the K3xx range, after the last one used;
* register it in the ``[flake8:local-plugins]`` section of tox.ini;
* add its test to karbor/tests/unit/hacking/test_checks.py and a line to
  HACKING.rst.
"""

import re

from hacking import core

_EVENTLET_IMPORT = re.compile(r'^\s*(?:import|from)\s+eventlet(?:[.\s]|$)')
_THIRD_PARTY_MOCK = re.compile(
    r'^\s*(?:import\s+mock(?:[.\s,]|$)|from\s+mock(?:[.\s]))')
_LOG_TRANSLATION = re.compile(
    r'\bLOG\.(?:audit|critical|debug|error|exception|info|warn|warning)'
    r'\(\s*_[A-Z]*\(')


@core.flake8ext
def check_no_eventlet(logical_line):
    """K301: Karbor runs on native threads; never import eventlet.

    The threading backend of oslo.service is selected at start-up and
    ``karbor.common.threading_backend`` refuses the import at run time;
    this check catches it before a test even runs.
    """
    if _EVENTLET_IMPORT.match(logical_line):
        yield 0, 'K301: do not import eventlet, Karbor uses native threads'


@core.flake8ext
def check_no_third_party_mock(logical_line):
    """K302: use ``from unittest import mock``, not the mock package."""
    if _THIRD_PARTY_MOCK.match(logical_line):
        yield 0, ('K302: use "from unittest import mock" instead of the '
                  'third-party mock library')


@core.flake8ext
def check_no_log_translation(logical_line):
    """K303: log messages are not translated.

    Operators read logs in one language and search them for exact text;
    only messages shown to API users go through ``karbor.i18n._``.
    """
    match = _LOG_TRANSLATION.search(logical_line)
    if match:
        yield match.start(), 'K303: do not translate log messages'
