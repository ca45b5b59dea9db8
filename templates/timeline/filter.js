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
  }));

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
      if (visible) shown++;
    }
    for (const section of sections) section.hidden = !section.querySelector('li.event:not([hidden])');
    count.textContent = count.dataset.template.replace('{shown}', String(shown)).replace('{total}', count.dataset.total);
    noMatch.hidden = shown > 0;
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
