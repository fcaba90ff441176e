'use strict';
// The insights page: reads the JSON API, draws with ECharts (bundled), refreshes itself while open.
(function () {
  const params = new URLSearchParams(location.search);
  const REFRESH_MS = 1000 * Math.max(1, Number(params.get('refresh')) || 10);
  const $ = (id) => document.getElementById(id);
  let currency = 'USD';
  let lastCommit = null;
  let committedAt = null;
  const charts = {};

  const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const compact = (n) => new Intl.NumberFormat('en-US', { notation: 'compact' }).format(n);
  const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const money = () => new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const fmtInt = (n) => (n === null || n === undefined ? '–' : integer.format(n));
  const fmtPct = (r) => (r === null || r === undefined ? '–' : percent.format(r));
  const fmtMoney = (m) => (m === null || m === undefined ? '–' : money().format(m));

  function chart(id) {
    if (!charts[id]) charts[id] = echarts.init($(id));
    return charts[id];
  }

  function query(extra) {
    const q = new URLSearchParams();
    if ($('from').value) q.set('from', $('from').value);
    if ($('to').value) q.set('to', $('to').value);
    Object.entries(extra || {}).forEach(([k, v]) => { if (v !== '' && v !== undefined && v !== null) q.set(k, v); });
    return q.toString();
  }

  async function api(path) {
    const response = await fetch('/api/' + path, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(path.split('?')[0] + ': ' + response.status + ' ' + (await response.text()));
    return response.json();
  }

  function fill(select, values, keep) {
    const current = select.value;
    while (select.options.length > 1) select.remove(1);
    values.forEach((v) => select.add(new Option(v, v)));
    select.value = values.includes(current) ? current : keep;
  }

  function row(cells, attributes) {
    const tr = document.createElement('tr');
    Object.entries(attributes || {}).forEach(([k, v]) => tr.setAttribute(k, v));
    cells.forEach(([text, numeric]) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (numeric) td.className = 'num';
      tr.appendChild(td);
    });
    return tr;
  }

  function renderFunnel(funnel) {
    const t = funnel.total;
    $('funnel-scope').textContent = funnel.category === 'ALL' ? 'all categories' : funnel.category;
    $('funnel-viewed').textContent = fmtInt(t.users_viewed);
    $('funnel-carted').textContent = fmtInt(t.users_carted);
    $('funnel-purchased').textContent = fmtInt(t.users_purchased);
    $('funnel-view-to-cart').textContent = fmtPct(t.rates.view_to_cart);
    $('funnel-cart-to-purchase').textContent = fmtPct(t.rates.cart_to_purchase);
    const dropOff = (r) => (r === null ? '' : ' (−' + percent.format(1 - r) + ')');
    chart('funnel-chart').setOption({
      grid: { left: 10, right: 50, top: 10, bottom: 20, containLabel: true },
      tooltip: {},
      xAxis: { type: 'value', axisLabel: { hideOverlap: true, formatter: compact } },
      yAxis: { type: 'category', inverse: true,
        data: ['Viewed', 'Carted' + dropOff(t.rates.view_to_cart), 'Purchased' + dropOff(t.rates.cart_to_purchase)] },
      series: [{ type: 'bar', data: [t.users_viewed, t.users_carted, t.users_purchased], itemStyle: { color: '#3056d3' },
        label: { show: true, position: 'right', formatter: (p) => fmtInt(p.value) } }],
    }, true);
  }

  function renderTrend(funnel, sessions) {
    const days = sessions.days.map((d) => d.date);
    const viewed = Object.fromEntries(funnel.days.map((d) => [d.date, d.users_viewed]));
    chart('trend-chart').setOption({
      grid: { left: 50, right: 50, top: 30, bottom: 30 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: days },
      yAxis: [{ type: 'value', name: 'users' }, { type: 'value', name: 'conv.', axisLabel: { formatter: (v) => percent.format(v) } }],
      series: [
        { name: 'Users who viewed', type: 'line', data: days.map((d) => viewed[d] ?? 0) },
        { name: 'Sessions', type: 'line', data: sessions.days.map((d) => d.sessions) },
        { name: 'Session conversion', type: 'line', yAxisIndex: 1, data: sessions.days.map((d) => d.session_conversion_rate) },
      ],
    }, true);
    $('kpi-sessions').textContent = fmtInt(sessions.sessions);
    $('kpi-conversion').textContent = fmtPct(sessions.session_conversion_rate);
  }

  function renderProducts(page) {
    const items = page.items;
    chart('products-chart').setOption({
      grid: { left: 10, right: 80, top: 10, bottom: 20, containLabel: true },
      tooltip: { valueFormatter: fmtMoney },
      xAxis: { type: 'value', axisLabel: { hideOverlap: true, formatter: compact } },
      yAxis: { type: 'category', inverse: true, data: items.map((p) => p.product_name || p.product_id) },
      series: [{ type: 'bar', data: items.map((p) => p.revenue), itemStyle: { color: '#12b76a' },
        label: { show: true, position: 'right', formatter: (p) => fmtMoney(p.value) } }],
    }, true);
    const body = $('products-table').tBodies[0];
    body.replaceChildren(...items.map((p) => row([
      [(p.product_name || '') + ' (' + p.product_id + ')'], [p.category], [fmtInt(p.views), true],
      [fmtInt(p.carts), true], [fmtInt(p.purchases), true], [fmtInt(p.units_sold), true],
      [fmtMoney(p.revenue), true], [fmtPct(p.rates.view_to_purchase), true]], { 'data-product-id': p.product_id })));
    $('kpi-revenue').textContent = fmtMoney(page.totals.revenue);
    $('kpi-views').textContent = fmtInt(page.totals.views);
    $('kpi-purchases').textContent = fmtInt(page.totals.purchases);
  }

  // view_product,view_product,add_to_cart,purchase -> "view ×2 → cart → purchase"
  const STEP_NAMES = { view_product: 'view', add_to_cart: 'cart', purchase: 'purchase' };
  function shortPath(steps) {
    const runs = [];
    steps.forEach((s) => {
      const last = runs[runs.length - 1];
      if (last && last.step === s) last.count++; else runs.push({ step: s, count: 1 });
    });
    return runs.map((r) => (STEP_NAMES[r.step] || r.step) + (r.count > 1 ? ' ×' + r.count : '')).join(' → ');
  }

  function renderPaths(page) {
    const items = page.items;
    chart('paths-chart').setOption({
      grid: { left: 10, right: 50, top: 10, bottom: 20, containLabel: true },
      tooltip: {},
      xAxis: { type: 'value', axisLabel: { hideOverlap: true, formatter: compact } },
      yAxis: { type: 'category', inverse: true, data: items.map((p) => shortPath(p.steps)),
        axisLabel: { width: 260, overflow: 'truncate' } },
      series: [{ type: 'bar', data: items.map((p) => p.sessions), itemStyle: { color: '#7a5af8' },
        label: { show: true, position: 'right', formatter: (p) => fmtInt(p.value) } }],
    }, true);
  }

  function renderSegments(segments) {
    chart('segments-chart').setOption({
      grid: { left: 90, right: 40, top: 30, bottom: 30 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: segments.map((s) => s.segment) },
      yAxis: [{ type: 'value', name: 'customers' }, { type: 'value', name: 'revenue' }],
      series: [
        { name: 'Customers', type: 'bar', data: segments.map((s) => s.customers) },
        { name: 'Revenue', type: 'bar', yAxisIndex: 1, data: segments.map((s) => s.revenue), tooltip: { valueFormatter: fmtMoney } },
      ],
    }, true);
  }

  function renderCustomers(page) {
    $('customers-table').tBodies[0].replaceChildren(...page.items.map((c) => row([
      [fmtInt(c.revenue_rank), true], [c.user_id], [c.location], [c.segment], [fmtInt(c.orders), true],
      [fmtMoney(c.revenue), true], [fmtMoney(c.avg_order_value), true],
      [c.last_purchase_at ? c.last_purchase_at.slice(0, 10) : '–']], { 'data-user-id': c.user_id })));
  }

  function renderPipeline(view) {
    const time = (t) => (t ? new Date(t).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC' : '–');
    $('pipeline-table').tBodies[0].replaceChildren(...view.layers.map((l) => {
      const tr = row([
        [l.table], [l.reads || '–'], [l.version === null ? 'not written yet' : fmtInt(l.version), true],
        [time(l.committed_at)], [l.seconds_behind_input === null ? '–' : fmtInt(l.seconds_behind_input) + ' s', true]],
      { 'data-table': l.table });
      const batches = document.createElement('td');
      batches.className = 'batches';
      batches.textContent = l.recent.map((c) => (c.batch_id === null ? 'v' + c.version : '#' + c.batch_id) + ': '
        + fmtInt(c.rows_written)).join(' · ') || '–';
      tr.appendChild(batches);
      return tr;
    }));
    $('services-none').hidden = view.services.length > 0;
    const seconds = (v) => (v === null || v === undefined ? '–' : v.toFixed(1) + ' s');
    $('services-table').tBodies[0].replaceChildren(...view.services.flatMap((s) => {
      const work = Object.entries(s.spark_work).map(([k, v]) => fmtInt(v) + ' ' + k).join(', ') || '–';
      if (s.error) return [row([[s.service], [s.error]], { 'data-service': s.service })];
      return s.queries.map((q) => row([[s.service], [q.query],
        [q.last_batch === null ? '–' : '#' + q.last_batch, true], [seconds(q.last_batch_seconds), true],
        [fmtInt(q.rows_read), true], [fmtInt(q.processed_rows_per_second), true],
        [seconds(q.watermark_lag_seconds), true], [work]], { 'data-service': s.service, 'data-query': q.query }));
    }));
    $('quarantine-total').textContent = fmtInt(view.quarantined) + ' rows';
    renderRules('quarantine-table', view.quarantine_by_rule);
    $('refused-total').textContent = fmtInt(view.refused_at_ingest) + ' events';
    $('ignored-total').textContent = fmtInt(view.ignored_at_ingest) + ' Segment messages that are no clickstream '
      + 'event (identify, page, other tracks…) were taken and kept in bronze.rejected under segment_ignored';
    renderRules('refused-table', view.refused_at_ingest_by_rule);
    const b = view.books;
    $('books-batches').textContent = fmtInt(b.batches) + ' batches in ops.silver_batches';
    const accounted = b.written_rows + b.quarantined_rows + b.duplicates_removed + b.too_late;
    $('books').textContent = fmtInt(b.input_rows) + ' bronze rows read = ' + fmtInt(b.written_rows) + ' in silver + '
      + fmtInt(b.quarantined_rows) + ' quarantined + ' + fmtInt(b.duplicates_removed) + ' duplicates removed + '
      + fmtInt(b.too_late) + ' too late' + (accounted === b.input_rows ? '' : ' (DOES NOT ADD UP: ' + fmtInt(accounted) + ')');
    $('books').className = accounted === b.input_rows ? 'books' : 'books off';
  }

  function renderRules(tableId, rules) {
    $(tableId).tBodies[0].replaceChildren(...rules.map((r) => {
      const tr = row([[r.rule], [fmtInt(r.rows), true]], { 'data-rule': r.rule });
      const samples = document.createElement('td');
      r.samples.forEach((sample) => {
        const code = document.createElement('code');
        code.textContent = sample;
        samples.appendChild(code);
      });
      tr.appendChild(samples);
      return tr;
    }));
  }

  function showFreshness() {
    const badge = $('freshness');
    if (!committedAt) {
      badge.textContent = 'no data yet';
      badge.className = 'badge none';
      return;
    }
    const seconds = Math.max(0, Math.round((Date.now() - committedAt) / 1000));
    const ago = seconds < 120 ? seconds + ' s' : seconds < 7200 ? Math.round(seconds / 60) + ' min' : Math.round(seconds / 3600) + ' h';
    badge.textContent = 'updated ' + ago + ' ago';
    badge.className = seconds > 600 ? 'badge stale' : 'badge';
    badge.title = 'newest gold commit: ' + new Date(committedAt).toISOString();
  }

  async function load() {
    try {
      const [settings, filters, freshness, pipeline] = await Promise.all([api('settings'), api('filters'),
        api('freshness'), api('pipeline')]);
      currency = settings.currency;
      fill($('category'), filters.categories, '');
      fill($('location'), filters.locations, '');
      ['from', 'to'].forEach((id) => {
        $(id).min = filters.first_date || '';
        $(id).max = filters.last_date || '';
      });
      if (!$('from').value && filters.first_date) $('from').value = filters.first_date;
      if (!$('to').value && filters.last_date) $('to').value = filters.last_date;
      lastCommit = freshness.newest_gold_commit_at;
      committedAt = lastCommit ? Date.parse(lastCommit) : null;
      showFreshness();
      renderPipeline(pipeline);
      $('empty').hidden = filters.first_date !== null || filters.locations.length > 0;
      const category = $('category').value;
      const loc = $('location').value;
      const [funnel, sessions, top, paths, segments, customers] = await Promise.all([
        api('funnel?' + query({ category: category || 'ALL' })),
        api('sessions?' + query()),
        api('products?' + query({ category, limit: 10 })),
        api('paths?' + query({ converted: 'true', limit: 8 })),
        api('segments?' + new URLSearchParams(loc ? { location: loc } : {})),
        api('customers?' + new URLSearchParams(Object.assign({ limit: 10 }, loc ? { location: loc } : {}))),
      ]);
      renderFunnel(funnel);
      renderTrend(funnel, sessions);
      renderProducts(top);
      renderPaths(paths);
      renderSegments(segments);
      renderCustomers(customers);
      $('error').hidden = true;
      document.body.dataset.loaded = String(Date.now());
    } catch (e) {
      $('error').textContent = 'Could not load the figures: ' + e.message;
      $('error').hidden = false;
    }
  }

  async function poll() {
    try {
      const [freshness, pipeline] = await Promise.all([api('freshness'), api('pipeline')]);
      if (freshness.newest_gold_commit_at !== lastCommit) await load();
      else renderPipeline(pipeline); // bronze and silver move on between gold's commits
    } catch (e) {
      $('error').textContent = 'The insights service does not answer: ' + e.message;
      $('error').hidden = false;
    }
  }

  $('filters').addEventListener('change', load);
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  setInterval(showFreshness, 1000);
  setInterval(poll, REFRESH_MS);
  load();
})();
