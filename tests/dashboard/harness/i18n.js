// See i18n.html. One observation per (route, language, width):
//   {route, lang, width, lang_attr, dir, ready, error, missing: [keys],
//    scroll_width, view, overflowing: ["tag.class \"text\""], nav: {key: text},
//    h1, text (the view's text, without code and data cells)}
(function () {
  const q = new URLSearchParams(location.search);
  const routes = JSON.parse(q.get('routes') || '["#/"]');
  const langs = (q.get('langs') || 'ar,en,es,fr,ru,zh').split(',');
  const widths = (q.get('widths') || '1280,390').split(',').map(Number);
  const out = document.getElementById('result');
  const results = [];
  const jobs = [];
  for (const route of routes) {
    for (const lang of langs) for (const width of widths) jobs.push({ route, lang, width });
  }

  function describe(el) {
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
    return `${el.tagName.toLowerCase()}${cls} "${text}"`;
  }

  // An element past the frame's edges (either side: right to left too).
  // Children of a scrolling box (.table-scroll, .table-wrap) scroll inside
  // it, which is fine on a phone; the box itself must fit.
  function overflowing(doc, view) {
    const found = [];
    for (const el of doc.body.querySelectorAll('*')) {
      if (el.closest('.table-scroll > *, .table-wrap > *')) continue;
      if (el.closest('.skip-link, .visually-hidden, [hidden]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > view + 1 || r.left < -1) found.push(describe(el));
    }
    return found.slice(0, 10);
  }

  // The view's running text: what a reader reads, without the data the
  // API sends (codes, domain and network names, campaign names).
  function prose(doc) {
    const view = doc.querySelector('#main .view');
    if (!view) return '';
    const copy = view.cloneNode(true);
    // [lang="en"]: text the page marks as the API's English (a probe's
    // explanations, the collector's methodology version string).
    for (const el of copy.querySelectorAll('code, table, svg, [data-campaign], .datasets, [data-domain], a[href^="#/asn/"], .downloads, [lang="en"]')) {
      el.remove();
    }
    return copy.textContent.replace(/\s+/g, ' ').trim();
  }

  function measure(frame, job) {
    const win = frame.contentWindow;
    const doc = frame.contentDocument;
    const root = doc.documentElement;
    const view = root.clientWidth;
    const nav = {};
    for (const el of doc.querySelectorAll('[data-i18n]')) nav[el.dataset.i18n] = el.textContent.trim();
    const h1 = doc.querySelector('#main h1');
    results.push({
      ...job,
      lang_attr: root.getAttribute('lang'),
      dir: root.getAttribute('dir'),
      ready: doc.body.dataset.ready === 'true',
      error: Boolean(doc.querySelector('#main [data-error="true"]')),
      missing: (root.dataset.missingMessages || '').split(' ').filter(Boolean),
      view,
      scroll_width: root.scrollWidth,
      overflowing: overflowing(doc, view),
      nav,
      h1: h1 ? h1.textContent.trim() : '',
      text: prose(doc),
      dir_computed: win.getComputedStyle(doc.body).direction,
      picker: win.getComputedStyle(doc.getElementById('window-picker')).display !== 'none',
    });
  }

  function next() {
    const job = jobs.shift();
    if (!job) {
      out.textContent = JSON.stringify(results);
      out.dataset.done = 'true';
      return;
    }
    const frame = document.createElement('iframe');
    frame.style.width = `${job.width}px`;
    let waited = 0;
    const poll = () => {
      const doc = frame.contentDocument;
      if (doc && doc.body && doc.body.dataset.ready === 'true') {
        try { measure(frame, job); } catch (e) { results.push({ ...job, exception: String(e) }); }
        frame.remove();
        next();
        return;
      }
      waited += 100;
      if (waited > 20000) {
        results.push({ ...job, exception: 'the page never became ready (20 s)' });
        frame.remove();
        next();
        return;
      }
      setTimeout(poll, 100);
    };
    frame.onload = poll;
    frame.src = `index.html?lang=${job.lang}${job.route}`;
    document.body.append(frame);
  }
  next();
}());
