// See report_layout.html. One observation per (page, language, width):
//   {page, lang, width, scroll_width, dir, overflowing: [tag#id.class "text"]}
(function () {
  const q = new URLSearchParams(location.search);
  const period = q.get('period') || '';
  const pages = [`report/${q.get('cc')}`];
  if (q.get('region')) pages.push(`report/region/${q.get('region')}`);
  const langs = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
  const widths = [1280, 390];
  const out = document.getElementById('result');
  const results = [];

  function describe(el) {
    const text = (el.textContent || '').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`;
  }

  function measure(frame, page, lang, width) {
    const doc = frame.contentDocument;
    const view = doc.documentElement.clientWidth;
    const overflowing = [];
    for (const el of doc.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > view + 1 || r.left < -1) overflowing.push(describe(el));
    }
    results.push({
      page, lang, width, view,
      scroll_width: doc.documentElement.scrollWidth,
      dir: doc.documentElement.getAttribute('dir'),
      lang_attr: doc.documentElement.getAttribute('lang'),
      overflowing: overflowing.slice(0, 10),
    });
  }

  const jobs = [];
  for (const page of pages) {
    for (const lang of langs) {
      for (const width of widths) jobs.push({ page, lang, width });
    }
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
    frame.onload = () => {
      try { measure(frame, job.page, job.lang, job.width); } catch (e) {
        results.push({ ...job, error: String(e) });
      }
      frame.remove();
      next();
    };
    frame.src = `${job.page}?period=${period}&lang=${job.lang}`;
    document.body.append(frame);
  }
  next();
}());
