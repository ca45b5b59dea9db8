// Filters and search: progressive enhancement. Without JavaScript every event is shown; with it,
// a tag, an actor and words narrow the list, the state lives in the URL, and counts follow. A large
// timeline is split into year pages: then a compact index (data-index) is fetched on first use, to
// count matches on the other pages and to send an old `#event-id` link to the page that holds it.
// A change must show at the next frame with 10,000 events and more: the index is prepared once
// (typed columns, an event list per tag and actor, all texts in one string), a change then touches
// only the events it can match, and the address bar is updated once the reader pauses.
(() => {
  const form = document.getElementById('filters');
  if (!form) return;
  const items = Array.from(document.querySelectorAll('li.event'));
  const sections = Array.from(document.querySelectorAll('section.year'));
  const lists = Array.from(document.querySelectorAll('section.year ol.events'));
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
    at: -1, // its place in the search index
  }));
  const indexUrl = form.dataset.index;
  let index = null;
  let loading = null;
  function loadIndex() {
    loading ??= fetch(indexUrl)
      .then((response) => response.json())
      .then((data) => {
        index = prepare(data);
        performance.mark('chronicle:index-ready');
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
  // A new address re-resolves every link on the page (tens of milliseconds on a big one): it is
  // written once the reader pauses, not in the frame that shows the result.
  let urlTimer = 0;
  function writeUrlSoon() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(writeUrl, 300);
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
    const filtering = Boolean(tag || actor || words.length);
    if (indexUrl && filtering && !index) loadIndex();
    // With the index, one pass finds the matches on every page; this page's events are marked in it.
    const found = index ? matchesOf(index, tag, actor, words) : null;
    const hit = found && found !== ALL ? marks(index.n, found) : null;
    let shown = 0;
    for (const entry of entries) {
      let visible;
      if (found && entry.at >= 0) visible = !hit || hit[entry.at] === 1;
      else {
        if (words.length && entry.text === null) entry.text = textOf(entry.li);
        visible =
          (!tag || entry.tags.includes(` ${tag} `)) &&
          (!actor || entry.actors.includes(` ${actor} `)) &&
          words.every((w) => entry.text.includes(w));
      }
      if (entry.li.hidden === visible) entry.li.hidden = !visible;
      entry.visible = visible;
      if (visible) shown++;
    }
    // An emptied list, or year, takes no room, even before it is rendered again (a big page's lists
    // keep their last height while off-screen).
    for (const list of lists) {
      const empty = !list.querySelector('li.event:not([hidden])');
      if (list.hidden !== empty) list.hidden = empty;
    }
    for (const section of sections) {
      const empty = !section.querySelector('ol.events:not([hidden])');
      if (section.hidden !== empty) section.hidden = empty;
    }
    let total = shown;
    if (found) total = acrossPages(index, found, filtering);
    else if (!indexUrl) picture?.update();
    count.textContent = count.dataset.template.replace('{shown}', String(total)).replace('{total}', count.dataset.total);
    noMatch.hidden = total > 0;
  }

  // The search index, prepared once: typed columns, the events of each tag and actor, every text in
  // one string (a word is then found by a few indexOf calls, not one call an event).
  const ALL = 'all';
  function prepare(data) {
    const n = data.id.length;
    const page = Uint16Array.from(data.page);
    const here = data.pages.indexOf(location.pathname.split('/').pop() || 'index.html');
    const membersOf = (lists, keys) => {
      const members = keys.map(() => []);
      lists.forEach((list, i) => {
        for (const k of list) members[k]?.push(i);
      });
      return members.map((list) => Int32Array.from(list));
    };
    const starts = new Int32Array(n + 1);
    for (let i = 0, at = 0; i < n; i++) {
      starts[i] = at;
      at += data.text[i].length + 1;
      starts[i + 1] = at;
    }
    const byId = new Map();
    for (let i = 0; i < n; i++) if (page[i] === here) byId.set(`event-${data.id[i]}`, i);
    for (const entry of entries) entry.at = byId.get(entry.li.firstElementChild?.id) ?? -1;
    return {
      data,
      n,
      page,
      flag: Uint8Array.from(data.flag),
      tags: membersOf(data.tags, data.tagKeys),
      actors: membersOf(data.actors, data.actorKeys),
      // Words never hold whitespace, so no match runs from one event's text into the next.
      text: data.text.join('\n'),
      starts,
      bar: picture?.barsOf(data) ?? null,
      last: null,
      tallies: new Map(),
    };
  }

  /** The events matching every filter, in index order (ALL when nothing filters). */
  function matchesOf(ix, tag, actor, words) {
    if (!tag && !actor && !words.length) return ALL;
    const last = ix.last;
    let candidates = null;
    // More letters or more words with the same tag and actor: only the last matches can still match.
    if (last && last.tag === tag && last.actor === actor && last.words.every((w) => words.some((v) => v.includes(w)))) {
      candidates = last.found === ALL ? null : last.found;
    } else {
      const empty = new Int32Array(0);
      const t = tag ? (ix.tags[ix.data.tagKeys.indexOf(tag)] ?? empty) : null;
      const a = actor ? (ix.actors[ix.data.actorKeys.indexOf(actor)] ?? empty) : null;
      candidates = t && a ? intersect(t, a) : (t ?? a);
    }
    let found;
    if (!words.length) found = candidates;
    else if (candidates) found = candidates.filter((i) => words.every((w) => ix.data.text[i].includes(w)));
    else found = scan(ix, words);
    ix.last = { tag, actor, words, found };
    return found;
  }

  function intersect(a, b) {
    const out = [];
    for (let i = 0, j = 0; i < a.length && j < b.length; ) {
      if (a[i] < b[j]) i++;
      else if (a[i] > b[j]) j++;
      else {
        out.push(a[i]);
        i++;
        j++;
      }
    }
    return out;
  }

  // The longest word over all texts at once; the others are checked in the events it is found in.
  function scan(ix, words) {
    const [first, ...rest] = [...words].sort((a, b) => b.length - a.length);
    const found = [];
    let i = 0;
    for (let at = ix.text.indexOf(first); at !== -1; at = ix.text.indexOf(first, ix.starts[i + 1])) {
      while (ix.starts[i + 1] <= at) i++;
      if (rest.every((w) => ix.data.text[i].includes(w))) found.push(i);
    }
    return found;
  }

  function marks(n, found) {
    const hit = new Uint8Array(n);
    for (const i of found) hit[i] = 1;
    return hit;
  }

  // Matches on every page: the count, the picture's bars from all of them, links to the other pages.
  function acrossPages(ix, found, filtering) {
    const { perPage, counts, total } = tally(ix, found);
    picture?.draw(counts);
    const here = ix.data.pages.indexOf(location.pathname.split('/').pop() || 'index.html');
    const links = [];
    perPage.forEach((n, p) => {
      if (!n || p === here) return;
      const page = ix.data.pages[p];
      const a = document.createElement('a');
      a.href = `${page}${queryString()}`;
      a.textContent = `${page === 'index.html' ? elsewhere.dataset.latest : page.replace('.html', '')} (${n})`;
      links.push(a);
    });
    elsewhere.replaceChildren(
      ...(filtering && links.length ? [`${elsewhere.dataset.label} `, ...links.flatMap((a, i) => (i ? [' · ', a] : [a]))] : []),
    );
    elsewhere.hidden = !(filtering && links.length);
    return total;
  }

  // Counts by page and by bar ([all, headlines, claims]); the unfiltered tally is kept.
  function tally(ix, found) {
    if (found === ALL && ix.tallies.has(ALL)) return ix.tallies.get(ALL);
    const perPage = new Uint32Array(ix.data.pages.length);
    const bars = picture?.barCount ?? 0;
    const flat = new Uint32Array(bars * 3);
    const count = (i) => {
      perPage[ix.page[i]]++;
      const b = ix.bar ? ix.bar[i] : -1;
      if (b < 0) return;
      flat[b * 3]++;
      if (ix.flag[i] === 1) flat[b * 3 + 1]++;
      else if (ix.flag[i] === 2) flat[b * 3 + 2]++;
    };
    if (found === ALL) for (let i = 0; i < ix.n; i++) count(i);
    else for (const i of found) count(i);
    const counts = Array.from({ length: bars }, (_, b) => [flat[b * 3], flat[b * 3 + 1], flat[b * 3 + 2]]);
    const result = { perPage, counts, total: found === ALL ? ix.n : found.length };
    if (found === ALL) ix.tallies.set(ALL, result);
    return result;
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
        barCount: 0,
        barsOf: () => null,
        draw() {},
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
      barCount: bars.length,
      // The bar of each event of the search index (-1: undated, or coming up on this page).
      barsOf(data) {
        const upcoming = new Set(list.filter((e) => !e.listed).map((e) => e.li.firstElementChild?.id));
        return Int16Array.from(data.month, (month, i) => (!month || upcoming.has(`event-${data.id[i]}`) ? -1 : barOf(month)));
      },
      draw,
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
      writeUrlSoon();
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
