// Filters and search: progressive enhancement. Without JavaScript every event is shown; with it,
// a tag, an actor and words narrow the list, the state lives in the URL, and counts follow.
(() => {
  const form = document.getElementById('filters');
  if (!form) return;
  const items = Array.from(document.querySelectorAll('li.event'));
  const sections = Array.from(document.querySelectorAll('section.year'));
  const count = form.querySelector('.count');
  const noMatch = form.querySelector('.no-match');
  const fields = { tag: form.elements.namedItem('tag'), actor: form.elements.namedItem('actor'), q: form.elements.namedItem('q') };
  const index = items.map((li) => ({
    li,
    tags: ` ${li.dataset.tags} `,
    actors: ` ${li.dataset.actors} `,
    text: li.dataset.text || '',
    headline: li.classList.contains('headline'),
    claim: li.classList.contains('claim'),
    bar: -1,
    mark: null,
  }));
  const picture = pictureOf(index);

  function readUrl() {
    const params = new URLSearchParams(location.search);
    for (const [name, field] of Object.entries(fields)) field.value = params.get(name) || '';
  }

  function writeUrl() {
    const params = new URLSearchParams();
    for (const [name, field] of Object.entries(fields)) if (field.value) params.set(name, field.value);
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }

  function apply() {
    const tag = fields.tag.value;
    const actor = fields.actor.value;
    const words = fields.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const entry of index) {
      const visible =
        (!tag || entry.tags.includes(` ${tag} `)) &&
        (!actor || entry.actors.includes(` ${actor} `)) &&
        words.every((w) => entry.text.includes(w));
      if (entry.li.hidden === visible) entry.li.hidden = !visible;
      entry.visible = visible;
      if (visible) shown++;
    }
    picture?.update();
    for (const section of sections) section.hidden = !section.querySelector('li.event:not([hidden])');
    count.textContent = count.dataset.template.replace('{shown}', String(shown)).replace('{total}', count.dataset.total);
    noMatch.hidden = shown > 0;
  }

  // The picture of time follows the filters: marks of hidden events fade, bars count what is shown.
  function pictureOf(entries) {
    const svg = document.querySelector('svg.tp');
    if (!svg) return null;
    if (!svg.dataset.axis) {
      const byId = new Map(entries.map((entry) => [entry.li.firstElementChild?.id, entry]));
      const marks = Array.from(svg.querySelectorAll('a.tp-mark'), (a) => [a, byId.get(a.getAttribute('href').slice(1))]);
      return {
        update() {
          for (const [a, entry] of marks) if (entry) a.classList.toggle('tp-dim', !entry.visible);
        },
      };
    }
    // Bars count the listed (not coming-up) events in list order, which is the bars' order.
    const bars = Array.from(svg.querySelectorAll('.tp-bar[data-n]'), (bar) => ({ bar, n: Number(bar.dataset.n) }));
    const listed = entries.filter((entry) => !entry.li.closest('.coming-up'));
    let at = 0;
    bars.forEach(({ n }, i) => {
      for (const end = at + n; at < end && at < listed.length; at++) listed[at].bar = i;
    });
    const axis = Number(svg.dataset.axis);
    const tall = Number(svg.dataset.bars);
    const max = Math.max(1, ...bars.map((b) => b.n));
    const height = (n) => (n ? Math.max(2, (n / max) * tall) : 0);
    const place = (rect, from, h) => {
      if (!rect) return;
      rect.setAttribute('y', (axis - from - h).toFixed(1));
      rect.setAttribute('height', h.toFixed(1));
    };
    return {
      update() {
        const counts = bars.map(() => [0, 0, 0]);
        for (const entry of listed) {
          if (!entry.visible || entry.bar < 0) continue;
          const c = counts[entry.bar];
          c[0]++;
          if (entry.headline) c[1]++;
          else if (entry.claim) c[2]++;
        }
        bars.forEach(({ bar }, i) => {
          const [all, headlines, claims] = counts[i];
          const h = height(all);
          const hh = Math.min(height(headlines), h);
          place(bar.querySelector('.tp-o'), 0, h);
          place(bar.querySelector('.tp-hh'), 0, hh);
          place(bar.querySelector('.tp-cc'), hh, Math.min(height(claims), h - hh));
          const text = bar.querySelector('.tp-count');
          if (text) {
            text.textContent = String(all);
            text.setAttribute('y', (axis - h - 4).toFixed(1));
          }
        });
      },
    };
  }

  let timer;
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      apply();
      writeUrl();
    }, 60);
  });
  form.addEventListener('reset', () =>
    setTimeout(() => {
      apply();
      writeUrl();
    }),
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  readUrl();
  form.hidden = false;
  apply();
})();
