/* Shikhon service worker (served from /sw.js so its scope is the whole site). Only GET is cached.
   Shell: precached, versioned by the hashed static names. Saved modules: the pages, videos and sheets
   "Download for offline" put in SAVED (offline.js); sign-out clears every shikhon-* cache. */
"use strict";
const VERSION = "{{ version }}";
const SHELL = "shikhon-shell-" + VERSION;
const SAVED = "shikhon-saved-v1";
const PRECACHE = {{ precache|safe }};
const OFFLINE = {{ offline_url|safe }};
const ANY = { ignoreVary: true };
// Forms whose posts wait in the outbox when the network fails (the phone may think it is online).
const OUTBOX_FORMS = [[/^\/attempts\/\d+\/submit\/$/, "quiz_submit"], [/^\/activities\/\d+\/progress\/$/, "activity_progress"],
  [/^\/practice\/plans\/new\/$/, "practice_plan"], [/^\/practice\/records\/new\/$/, "practice_record"],
  [/^\/practice\/circles\/\d+\/meetings\/new\/$/, "practice_meeting"],
  [/^\/practice\/observations\/\d+\/record\/$/, "practice_observation_entry"],
  [/^\/practice\/checks\/new\/$/, "practice_check_results"]];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys
      .filter((key) => key.startsWith("shikhon-") && key !== SHELL && key !== SAVED)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    const kind = OUTBOX_FORMS.find(([pattern]) => pattern.test(url.pathname));
    if (kind) event.respondWith(sendOrKeep(request, kind[1], url));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/videos/")) {
    event.respondWith(cacheFirst(request, url));
  } else if (!url.pathname.startsWith("/sync/")) {
    event.respondWith(fetch(request).catch(() => caches.match(request.url, ANY).then((hit) => hit || Response.error())));
  }
});

// Pages: the network first (a saved page is refreshed while online), then the saved copy, then /offline/.
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.status === 200 && !response.redirected && (await caches.has(SAVED))) {
      const cache = await caches.open(SAVED);
      if (await cache.match(request.url, ANY)) await cache.put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    return (await caches.match(request.url, ANY)) || (await caches.match(OFFLINE, ANY)) || Response.error();
  }
}

// Static files (hashed names) and saved videos: the cache first. <video> asks with Range: answer 206.
async function cacheFirst(request, url) {
  const hit = await caches.match(request.url, ANY);
  if (hit) {
    const range = request.headers.get("range");
    return range && hit.status === 200 ? partial(hit, range) : hit;
  }
  const response = await fetch(request);
  if (response.status === 200 && url.pathname.startsWith("/static/")) {
    const cache = await caches.open(SHELL);
    await cache.put(request.url, response.clone());
  }
  return response;
}

async function partial(response, range) {
  const blob = await response.blob();
  const size = blob.size;
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  let start = 0;
  let end = size - 1;
  if (match && match[1] !== "") {
    start = Number(match[1]);
    if (match[2] !== "") end = Math.min(Number(match[2]), size - 1);
  } else if (match && match[2] !== "") {
    start = Math.max(size - Number(match[2]), 0);
  }
  if (!match || start > end || start >= size) {
    return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + size } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": response.headers.get("Content-Type") || "video/mp4",
      "Content-Range": "bytes " + start + "-" + end + "/" + size,
      "Content-Length": String(end - start + 1),
      "Accept-Ranges": "bytes",
    },
  });
}

// A quiz or progress post that cannot reach the server is kept in the IndexedDB outbox (offline.js
// sends it to /sync/ later). A page goes back to where it came from, which shows the waiting sentence.
async function sendOrKeep(request, kind, url) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const fields = {};
    for (const [name, value] of await copy.formData()) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") (fields[name] = fields[name] || []).push(value);
    }
    await keep({ id: crypto.randomUUID(), kind, payload: { url: url.pathname, fields },
      made_at: new Date().toISOString(), state: "waiting" });
    if (request.mode === "navigate") return Response.redirect(request.referrer || self.location.origin + "/", 303);
    return new Response(JSON.stringify({ queued: true }), { status: 202, headers: { "Content-Type": "application/json" } });
  }
}

// The outbox of offline.js (same database version and upgrade): a new item gets the next `seq`, so items
// are sent in the order they were made; a second waiting submission of the same quiz attempt is not kept
// (the first one counts, and the page says so when she tries).
function keep(item) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("shikhon", 2);
    open.onupgradeneeded = (event) => {
      const s = event.oldVersion < 1 ? open.result.createObjectStore("outbox", { keyPath: "id" })
        : open.transaction.objectStore("outbox");
      s.createIndex("seq", "seq");
      s.getAll().onsuccess = (e) => e.target.result.sort((a, b) => (a.made_at < b.made_at ? -1 : 1))
        .forEach((old, n) => s.put({ ...old, seq: n + 1 }));
    };
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction("outbox", "readwrite");
      const s = tx.objectStore("outbox");
      s.index("seq").getAll().onsuccess = (e) => {
        const all = e.target.result;
        if (item.kind === "quiz_submit" && all.some((i) => i.kind === "quiz_submit" && i.state !== "rejected"
          && i.payload.url === item.payload.url)) return;
        s.put({ ...item, seq: all.length ? all[all.length - 1].seq + 1 : 1 });
      };
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    };
  });
}
