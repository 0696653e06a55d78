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

"""A scripted HTTP server standing in for the Karbor API in the tests.

The clients under test speak real HTTP to it, so what they send (path,
headers, JSON body) is what a Karbor server would receive.
"""

import http.server
import json
import threading


class ScriptedServer:
    """Answer each (method, path) with the next scripted (status, body).

    The last answer of a script is repeated. Every request is recorded in
    ``requests`` as ``(method, path, headers, parsed JSON body or None)``.
    """

    def __init__(self):
        self.scripts = {}
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get('Content-Length') or 0)
                raw = self.rfile.read(length) if length else b''
                body = json.loads(raw) if raw else None
                server.requests.append((self.command, self.path,
                                        dict(self.headers), body))
                script = server.scripts.get((self.command, self.path))
                if not script:
                    status, payload = 404, {'itemNotFound': {
                        'code': 404, 'message': 'not scripted'}}
                else:
                    status, payload = (script.pop(0) if len(script) > 1
                                       else script[0])
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self._httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      Handler)
        self.url = 'http://127.0.0.1:%d' % self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={'poll_interval': 0.05},
                                        daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    def script(self, method, path, *answers):
        """Queue ``(status, body)`` answers for ``method path``."""
        self.scripts[(method, path)] = list(answers)
