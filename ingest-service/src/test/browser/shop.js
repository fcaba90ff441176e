// A shop page tracking with analytics.js (@segment/analytics-next's UMD bundle, window.AnalyticsNext): identify, a
// page view, then the e-commerce spec's Product Viewed, Product Added and Order Completed. It sends to Clickcartel
// and nowhere else: the CDN settings are given inline (no fetch of cdn.segment.com/v1/projects/<key>/settings),
// the CDN is this page's own origin (where the bundle would load its lazy chunks from), remote metrics are off,
// and the Segment.io destination's apiHost is the ingest service. window.__shop holds what happened, for the test.
(function () {
  'use strict';
  var cfg = window.SHOP;
  var shop = { loaded: false, tracked: false, error: null, calls: [], sdkErrors: [] };
  window.__shop = shop;

  function remember(kind, name) {
    return function (ctx) {
      var failed = ctx.failedDelivery && ctx.failedDelivery();
      shop.calls.push({
        kind: kind,
        name: name,
        messageId: ctx.event.messageId,
        type: ctx.event.type,
        failed: failed ? String(failed.reason) : null
      });
      return ctx;
    };
  }

  var analytics = window.AnalyticsNext.AnalyticsBrowser.load({
    writeKey: cfg.writeKey,
    cdnURL: window.location.origin,
    cdnSettings: {
      integrations: { 'Segment.io': { apiKey: cfg.writeKey } },
      metrics: { sampleRate: 0 }
    }
  }, {
    disableClientPersistence: true,
    integrations: {
      'Segment.io': {
        apiHost: cfg.apiHost,
        protocol: 'http',
        deliveryStrategy: cfg.deliveryStrategy
      }
    }
  });

  analytics.on('error', function (error) {
    shop.sdkErrors.push(String(error && (error.code + ': ' + error.reason)));
  });

  var p = cfg.products;
  analytics.then(function () { shop.loaded = true; })
    .then(function () {
      return analytics.identify(cfg.userId, { email: cfg.run + '@shop.example' }).then(remember('identify'));
    })
    .then(function () {
      return analytics.page('Shop', 'Product ' + p[0]).then(remember('page'));
    })
    .then(function () {
      return analytics.track('Product Viewed', { product_id: p[0], sku: p[0], price: 19.5, currency: 'EUR' })
        .then(remember('track', 'Product Viewed'));
    })
    .then(function () {
      return analytics.track('Product Added', { product_id: p[1], quantity: 2, price: 5, currency: 'EUR' })
        .then(remember('track', 'Product Added'));
    })
    .then(function () {
      return analytics.track('Order Completed', {
        order_id: cfg.orderId,
        total: 58.5,
        currency: 'EUR',
        products: [{ product_id: p[0], quantity: 1, price: 19.5 }, { product_id: p[2], quantity: 3, price: 13 }]
      }).then(remember('track', 'Order Completed'));
    })
    .then(function () { shop.tracked = true; }, function (error) {
      shop.error = String(error && error.stack ? error.stack : error);
    });
})();
