// Records what the page sends with fetch (analytics.js sends with window.fetch), and the answers, so that the test
// can show and check what really went over the wire. It passes every call through unchanged.
(function () {
  'use strict';
  var realFetch = window.fetch.bind(window);
  var requests = [];
  window.__recordedRequests = requests;
  window.fetch = function (input, init) {
    var headers = {};
    var given = (init && init.headers) || {};
    new Headers(given).forEach(function (value, name) { headers[name] = value; });
    var record = {
      url: String(input && input.url ? input.url : input),
      method: ((init && init.method) || 'GET').toUpperCase(),
      headers: headers,
      body: init && typeof init.body === 'string' ? init.body : null,
      status: null,
      answer: null,
      error: null
    };
    requests.push(record);
    return realFetch(input, init).then(function (response) {
      return response.clone().text().then(function (text) {
        record.status = response.status;
        record.answer = text;
        return response;
      }, function (error) {
        record.status = response.status;
        record.error = 'reading the answer: ' + error;
        return response;
      });
    }, function (error) {
      record.error = String(error);
      throw error;
    });
  };
})();
