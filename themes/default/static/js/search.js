// Site search in the reader's browser: Pagefind's static index, no server.
// The form works without this script (it just reloads the page with ?q=); this fills in the results.
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const input = document.getElementById("cari-halaman");
const say = (key, values = {}) =>
  status.dataset[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));

let pagefind = null;
async function load() {
  if (!pagefind) {
    pagefind = await import(status.dataset.bundle + "pagefind.js");
    await pagefind.options({ baseUrl: status.dataset.base });
    pagefind.init();
  }
  return pagefind;
}

function item(data) {
  const li = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  li.append(heading);
  if (data.meta.date) {
    const date = document.createElement("p");
    date.className = "meta";
    date.textContent = data.meta.date;
    li.append(date);
  }
  const excerpt = document.createElement("p");
  excerpt.innerHTML = data.excerpt; // Pagefind escapes page text; only <mark> is markup here
  li.append(excerpt);
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = say("searching");
  let found;
  try {
    found = await (await load()).search(query);
  } catch (error) {
    status.textContent = say("unavailable");
    return;
  }
  const results = await Promise.all(found.results.slice(0, 30).map((r) => r.data()));
  list.replaceChildren(...results.map(item));
  status.textContent = say(results.length ? "found" : "none", { count: found.results.length, query });
}

const query = new URLSearchParams(location.search).get("q") || "";
input.value = query;
run(query);
input.form.addEventListener("submit", (event) => {
  event.preventDefault();
  const next = input.value;
  history.replaceState(null, "", "?q=" + encodeURIComponent(next));
  run(next);
});
