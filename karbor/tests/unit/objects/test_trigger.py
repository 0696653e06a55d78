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

"""Tests of karbor.objects.trigger on a real SQLite database."""

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests import base


class TestTrigger(base.TestCase):

    USE_DB = True

    def test_lifecycle(self):
        ctx = context.RequestContext(user_id='u', project_id='proj')
        trigger = objects.Trigger(ctx, name='nightly', project_id='proj',
                                  type='time',
                                  properties={'format': 'crontab',
                                              'pattern': '0 2 * * *',
                                              'window': 900})
        trigger.create()
        trigger.properties = dict(trigger.properties, window=1800)
        trigger.save()
        got = objects.Trigger.get_by_id(ctx, trigger.id)
        self.assertEqual(1800, got.properties['window'])
        self.assertEqual([trigger.id], [t.id for t in
                                        objects.TriggerList.get_all(
                                            ctx, filters={'name': 'night'})])
        got.destroy()
        self.assertRaises(exception.TriggerNotFound,
                          objects.Trigger.get_by_id, ctx, trigger.id)
