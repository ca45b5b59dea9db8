// Filters and search: progressive enhancement. Without JavaScript every event is shown; with it,
// a tag, an actor and words narrow the list, the state lives in the URL, and counts follow. A large
// timeline is split into year pages: then a compact index (data-index) is fetched on first use, to
// count matches on the other pages and to send an old `#event-id` link to the page that holds it.
(() => {
  const form = document.getElementById('filters');
  if (!form) return;
  const items = Array.from(document.querySelectorAll('li.event'));
  const sections = Array.from(document.querySelectorAll('section.year'));
  const count = form.querySelector('.count');
  const noMatch = form.querySelector('.no-match');
  const elsewhere = form.querySelector('.elsewhere');
  const fields = { tag: form.elements.namedItem('tag'), actor: form.elements.namedItem('actor'), q: form.elements.namedItem('q') };
  const entries = items.map((li) => ({
    li,
    tags: ` ${li.dataset.tags} `,
    actors: ` ${li.dataset.actors} `,
    text: null, // read from the page on the first search
    headline: li.classList.contains('headline'),
    claim: li.classList.contains('claim'),
    listed: !li.closest('.coming-up'),
    visible: true,
    bar: -1,
  }));
  const indexUrl = form.dataset.index;
  let index = null;
  let loading = null;
  function loadIndex() {
    loading ??= fetch(indexUrl)
      .then((response) => response.json())
      .then((data) => {
        index = data;
        schedule();
        return data;
      })
      .catch(() => null);
    return loading;
  }

  // What a search looks in: the title, the summary and the facts line (actors, tags, sources).
  function textOf(li) {
    let text = '';
    for (const el of li.querySelectorAll('h3, .summary, .facts')) text += ` ${el.textContent}`;
    return text.toLowerCase();
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    for (const [name, field] of Object.entries(fields)) field.value = params.get(name) || '';
  }

  function writeUrl() {
    const query = queryString();
    history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
  }

  function queryString() {
    const params = new URLSearchParams();
    for (const [name, field] of Object.entries(fields)) if (field.value) params.set(name, field.value);
    const query = params.toString();
    return query ? `?${query}` : '';
  }

  function apply() {
    const tag = fields.tag.value;
    const actor = fields.actor.value;
    const words = fields.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const entry of entries) {
      if (words.length && entry.text === null) entry.text = textOf(entry.li);
      const visible =
        (!tag || entry.tags.includes(` ${tag} `)) &&
        (!actor || entry.actors.includes(` ${actor} `)) &&
        words.every((w) => entry.text.includes(w));
      if (entry.li.hidden === visible) entry.li.hidden = !visible;
      entry.visible = visible;
      if (visible) shown++;
    }
    for (const section of sections) section.hidden = !section.querySelector('li.event:not([hidden])');
    const filtering = Boolean(tag || actor || words.length);
    let total = shown;
    if (indexUrl) {
      if (filtering && !index) loadIndex();
      total = index ? acrossPages(index, tag, actor, words, filtering) : shown;
    } else {
      picture?.update();
    }
    count.textContent = count.dataset.template.replace('{shown}', String(total)).replace('{total}', count.dataset.total);
    noMatch.hidden = total > 0;
  }

  // With the index: matches on every page, the picture's bars from all of them, links to the others.
  function acrossPages(data, tag, actor, words, filtering) {
    const tagAt = data.tagKeys.indexOf(tag);
    const actorAt = data.actorKeys.indexOf(actor);
    const here = location.pathname.split('/').pop() || 'index.html';
    const perPage = new Map();
    const months = [];
    for (let i = 0; i < data.id.length; i++) {
      if (tag && !data.tags[i].includes(tagAt)) continue;
      if (actor && !data.actors[i].includes(actorAt)) continue;
      if (words.length && !words.every((w) => data.text[i].includes(w))) continue;
      const page = data.pages[data.page[i]];
      perPage.set(page, (perPage.get(page) ?? 0) + 1);
      months.push(i);
    }
    picture?.updateFrom(data, months);
    const links = [];
    for (const [page, n] of perPage) {
      if (page === here) continue;
      const a = document.createElement('a');
      a.href = `${page}${queryString()}`;
      a.textContent = `${page === 'index.html' ? elsewhere.dataset.latest : page.replace('.html', '')} (${n})`;
      links.push(a);
    }
    elsewhere.replaceChildren(
      ...(filtering && links.length ? [`${elsewhere.dataset.label} `, ...links.flatMap((a, i) => (i ? [' · ', a] : [a]))] : []),
    );
    elsewhere.hidden = !(filtering && links.length);
    return months.length;
  }

  // The picture of time follows the filters: marks of hidden events fade, bars count what is shown.
  function pictureOf(list) {
    const svg = document.querySelector('svg.tp');
    if (!svg) return null;
    if (!svg.dataset.axis) {
      const byId = new Map(list.map((entry) => [entry.li.firstElementChild?.id, entry]));
      const marks = Array.from(svg.querySelectorAll('a.tp-mark'), (a) => [a, byId.get(a.getAttribute('href').split('#')[1])]);
      return {
        update() {
          for (const [a, entry] of marks) if (entry) a.classList.toggle('tp-dim', !entry.visible);
        },
        updateFrom() {},
      };
    }
    const bars = Array.from(svg.querySelectorAll('.tp-bar[data-n]'), (bar) => ({ bar, n: Number(bar.dataset.n), from: bar.dataset.b }));
    // On a one-page timeline the listed events are in the bars' order: the first n go to bar 1, and so on.
    const listed = list.filter((entry) => entry.listed);
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
    function draw(counts) {
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
    }
    const barOf = (month) => {
      let lo = 0;
      let hi = bars.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (bars[mid].from <= month) lo = mid;
        else hi = mid - 1;
      }
      return lo;
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
        draw(counts);
      },
      updateFrom(data, matches) {
        const counts = bars.map(() => [0, 0, 0]);
        const upcoming = new Set(list.filter((e) => !e.listed).map((e) => e.li.firstElementChild?.id));
        for (const i of matches) {
          if (!data.month[i] || upcoming.has(`event-${data.id[i]}`)) continue;
          const c = counts[barOf(data.month[i])];
          c[0]++;
          if (data.flag[i] === 1) c[1]++;
          else if (data.flag[i] === 2) c[2]++;
        }
        draw(counts);
      },
    };
  }
  const picture = pictureOf(entries);

  // Changes apply at the next frame (several keystrokes in one frame are one update).
  let scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      apply();
      writeUrl();
    });
  }
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('reset', () => setTimeout(schedule));
  form.addEventListener('submit', (event) => event.preventDefault());
  if (indexUrl) form.addEventListener('focusin', loadIndex, { once: true });
  readUrl();
  form.hidden = false;
  apply();

  // An old permalink (index.html#event-x) to an event that now lives on its year's page.
  const hash = decodeURIComponent(location.hash.slice(1));
  if (indexUrl && hash.startsWith('event-') && !document.getElementById(hash)) {
    loadIndex().then((data) => {
      const i = data ? data.id.indexOf(hash.slice(6)) : -1;
      if (i >= 0) location.replace(`${data.pages[data.page[i]]}${location.search}#${hash}`);
    });
  }
  performance.mark('chronicle:filters-ready');
})();
