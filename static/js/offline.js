/* Shikhon offline: registers the service worker, saves a module for offline use ("Download for
   offline"), keeps quiz answers and progress made offline in an IndexedDB outbox and sends them to
   /sync/ when the phone is online again; and a tap on a video's poster starts it. Our own code, no
   framework; its start-up work waits for idle time. Protocol: docs/decisions/0006. */
(() => {
  "use strict";
  const script = document.currentScript;
  const conf = script ? script.dataset : {};
  const SAVED = "shikhon-saved-v1"; // the cache name sw.js keeps across versions
  const SAVED_LIST = "shikhon-saved-modules"; // localStorage: {pk: {title, url, bytes, at}}
  const DB = "shikhon";
  const DB_VERSION = 2; // 2: items carry `seq`, the order they were made in (sw.js opens the same version)
  const STORE = "outbox";
  const lang = document.documentElement.lang || "bn";
  // Numbers in the page's digits without Intl: the first Intl.NumberFormat of a page costs ~50 ms of start-up.
  const number = { format: (n) => (lang === "bn" ? String(n).replace(/\d/g, (d) => "০১২৩৪৫৬৭৮৯"[d]) : String(n)) };
  const fill = (text, values) => (text || "").replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  const path = (url) => new URL(url, location.href).pathname;
  const megabytes = (bytes) => number.format(Math.round(Math.max(bytes, 1) / 104857.6) / 10);
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

  /* ---------------------------------------------------------------- the outbox (IndexedDB) */
  // Items are sent in the order they were made: each gets the next `seq` (index "seq"). Items kept
  // before version 2 are numbered by their made_at. The same upgrade is in sw.js.
  const open = () => new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, DB_VERSION);
    request.onupgradeneeded = (event) => {
      const s = event.oldVersion < 1 ? request.result.createObjectStore(STORE, { keyPath: "id" })
        : request.transaction.objectStore(STORE);
      s.createIndex("seq", "seq");
      s.getAll().onsuccess = (e) => e.target.result.sort((a, b) => (a.made_at < b.made_at ? -1 : 1))
        .forEach((item, n) => s.put({ ...item, seq: n + 1 }));
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const store = async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(request && request.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    });
  };
  const items = () => store("readonly", (s) => s.index("seq").getAll()).catch(() => []);
  const put = (item) => store("readwrite", (s) => s.put(item));
  const drop = (id) => store("readwrite", (s) => s.delete(id));
  // A quiz attempt is submitted once: is an offline submission of the attempt at `url` already waiting?
  const twice = (all, url) => all.some((i) => i.kind === "quiz_submit" && i.state !== "rejected" && i.payload.url === url);
  // Keep a new item after the last one, in one transaction; answers the items that were there before.
  // A second waiting submission of the same quiz attempt is not kept.
  const add = (item) => store("readwrite", (s) => {
    const request = s.index("seq").getAll();
    request.onsuccess = () => {
      const all = request.result;
      if (!(item.kind === "quiz_submit" && twice(all, item.payload.url))) {
        s.put({ ...item, seq: all.length ? all[all.length - 1].seq + 1 : 1 });
      }
    };
    return request;
  });
  let quizzes = new Set(); // addresses of quiz attempts with answers waiting, read by show()

  // What this page's syncs answered: summed up in one line (the sentence itself when there is one answer, with
  // a link to the result; a count otherwise, with a link to the quiz result when a quiz was among them).
  const sent = [];
  const notes = []; // other sentences, each shown once (a second set of answers refused on the phone)

  function summary(box) {
    if (!sent.length) return;
    const quiz = sent.filter((n) => n.kind === "quiz_submit").pop();
    const one = sent.length === 1 ? sent[0] : null;
    const text = one ? one.message : fill(conf.sentSeveral, { count: number.format(sent.length) });
    line(box, text, "", one ? one.url : quiz && quiz.url);
  }

  function line(box, text, kind, url, id) {
    const p = document.createElement("p");
    p.className = "msg " + kind;
    p.textContent = text + " ";
    if (url) {
      const a = document.createElement("a");
      a.href = url;
      a.textContent = conf.result;
      p.append(a, " ");
    }
    if (id) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "link";
      b.textContent = conf.dismiss;
      b.addEventListener("click", () => drop(id).then(show));
      p.append(b);
    }
    box.append(p);
  }

  async function show() {
    const all = await items();
    const waiting = all.filter((i) => i.state !== "rejected");
    const refused = all.filter((i) => i.state === "rejected");
    quizzes = new Set(waiting.filter((i) => i.kind === "quiz_submit").map((i) => i.payload.url));
    let box = document.querySelector("[data-outbox]");
    if (!waiting.length && !refused.length && !notes.length && !sent.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-outbox", "");
      box.setAttribute("role", "status");
      box.className = "outbox";
      (document.querySelector("main") || document.body).prepend(box);
    }
    box.textContent = "";
    if (waiting.length) line(box, fill(conf.queued, { count: number.format(waiting.length) }), "warning");
    summary(box);
    notes.forEach((n) => line(box, n.message, n.kind || "", n.url));
    refused.forEach((i) => line(box, i.message, "error", i.url, i.id));
  }

  const csrf = () => {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const meta = document.querySelector("meta[name=csrf-token]");
    return match ? decodeURIComponent(match[1]) : (meta ? meta.content : "");
  };

  let sending = false;
  let timer = 0;
  let size = 50; // items per batch; halved while the server cannot read a batch (400, 413)
  async function flush() {
    if (sending || !navigator.onLine || !conf.sync) return;
    // Claimed before the first await: an `online` event and the timer arriving together must not both
    // send the same items (the server would keep them once, but the page would show the result twice).
    sending = true;
    let again = false;
    let waiting = [];
    try {
      waiting = (await items()).filter((i) => i.state !== "rejected").slice(0, size);
      if (!waiting.length) return;
      const response = await fetch(conf.sync, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ items: waiting.map(({ id, kind, payload, made_at }) => ({ id, kind, payload, made_at })) }),
      });
      // One answer per item, in order: created/duplicate are done, rejected is shown with its sentence.
      // Anything else — 401, 403, 429, 5xx (503 while the database restarts), a network error — keeps
      // every item to send again later.
      if (response.ok) {
        size = 50;
        const results = (await response.json()).results;
        for (const [n, result] of results.entries()) {
          const item = waiting[n];
          if (!item || (result.id && result.id !== item.id)) continue;
          if (result.status === "rejected") {
            await put({ ...item, state: "rejected", message: result.message, url: result.url });
          } else if (result.status === "created" || result.status === "duplicate") {
            await drop(item.id);
            sent.push({ kind: item.kind, message: result.message, url: result.url });
          }
        }
      } else if (response.status === 400 || response.status === 413) {
        // The server cannot read this batch: send fewer at a time until the item it cannot read is
        // alone, then show that item's sentence.
        const error = (await response.json().catch(() => ({}))).error;
        if (waiting.length > 1) {
          size = Math.max(1, waiting.length >> 1);
          again = true;
        } else if (typeof error === "string") {
          await put({ ...waiting[0], state: "rejected", message: error, url: "" });
        }
      }
    } catch (error) {
      /* still offline, or the server is away: the items wait for the next try */
    } finally {
      sending = false;
    }
    await show();
    if (again) return flush();
    later();
  }

  // While something waits: try again every 30 s (and at once on the `online` event).
  async function later() {
    clearTimeout(timer);
    if ((await items()).some((i) => i.state !== "rejected")) timer = setTimeout(flush, 30000);
  }

  function kindOf(form) {
    if (form.dataset.outboxKind) return form.dataset.outboxKind;  // a form that names its kind (practice's)
    if (form.matches("[data-quiz-form]")) return "quiz_submit";
    if (form.matches("[data-progress-form]") || /^\/activities\/\d+\/progress\/$/.test(path(form.action))) {
      return "activity_progress";
    }
    return "";
  }

  async function keep(kind, form, data) {
    const fields = {};
    for (const [name, value] of data) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") continue;
      (fields[name] = fields[name] || []).push(value);
    }
    const url = path(form.action);
    if (twice(await add({ id: uuid(), kind, payload: { url, fields }, made_at: new Date().toISOString(),
      state: "waiting" }), url)) return refuse(form);
    form.querySelectorAll("button, [type=submit]").forEach((b) => { b.disabled = true; });
    await show();
    const box = document.querySelector("[data-outbox]");
    if (box) box.scrollIntoView({ block: "nearest" });
    later();
  }

  // A second set of answers to an attempt whose answers wait on this phone: not kept, and she is told.
  async function refuse(form) {
    const message = form.dataset.twice;
    if (message && !notes.some((n) => n.message === message)) notes.push({ message, kind: "error" });
    await show();
    const box = document.querySelector("[data-outbox]");
    if (box) box.scrollIntoView({ block: "nearest" });
  }

  async function forget() {
    try { await flush(); } catch (error) { /* signing out anyway */ }
    localStorage.removeItem(SAVED_LIST);
    if (window.caches) {
      const keys = await caches.keys();
      await Promise.all(keys.filter((k) => k.startsWith("shikhon-")).map((k) => caches.delete(k)));
    }
    await new Promise((done) => {
      const request = indexedDB.deleteDatabase(DB);
      request.onsuccess = request.onerror = request.onblocked = done;
    });
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if (conf.signOut && path(form.action) === conf.signOut) {
      // Another person may use this phone next: nobody's saved pages or answers stay behind.
      event.preventDefault();
      await Promise.race([forget(), new Promise((done) => setTimeout(done, 3000))]);
      form.submit();
      return;
    }
    // Offline: keep it on the phone. Online, the form posts as usual; if the network fails on the
    // way, the service worker keeps it in the same outbox (sw.js).
    const kind = kindOf(form);
    if (!kind || form.method.toLowerCase() !== "post") return;
    if (kind === "quiz_submit" && quizzes.has(path(form.action))) {
      event.preventDefault();
      await refuse(form);
      return;
    }
    if (navigator.onLine) return;
    event.preventDefault();
    await keep(kind, form, new FormData(form, event.submitter || null));
  });

  /* ---------------------------------------------------------------- saved modules */
  const savedList = () => {
    try { return JSON.parse(localStorage.getItem(SAVED_LIST)) || {}; } catch (error) { return {}; }
  };

  async function download(section, button, status) {
    const text = section.dataset;
    button.disabled = true;
    status.textContent = text.tStarting;
    try {
      // A POST: saving starts (or keeps) her open quiz attempt; the answer lists the addresses to cache.
      const answer = await fetch(text.save, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf() },
      });
      // Our JSON carries a sentence for the teacher; anything else (a CSRF or proxy page) is "saving stopped".
      const pack = await answer.json().catch(() => null);
      if (!answer.ok || !pack || !pack.urls) throw new Error((pack && pack.error) || text.tFailed);
      const cache = await caches.open(SAVED);
      let bytes = 0;
      let done = 0;
      for (const url of pack.urls) {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.status !== 200) throw new Error(text.tFailed);
        bytes += Number(response.headers.get("Content-Length")) || (await response.clone().blob()).size;
        await cache.put(url, response);
        done += 1;
        status.textContent = fill(text.tProgress, { done: number.format(done), total: number.format(pack.urls.length) });
      }
      const list = savedList();
      list[pack.module] = { title: pack.title, url: pack.url, bytes, at: new Date().toISOString() };
      localStorage.setItem(SAVED_LIST, JSON.stringify(list));
      status.textContent = [fill(text.tSaved, { size: megabytes(bytes) }), ...pack.skipped.map((s) => s.reason)].join(" ");
      button.textContent = text.tAgain;
    } catch (error) {
      // Our own sentences only: a network TypeError or a storage DOMException says "saving stopped".
      status.textContent = (error && error.name === "Error" && error.message) || text.tFailed;
    } finally {
      button.disabled = false;
    }
  }

  function modules() {
    const section = document.querySelector("[data-offline-module]");
    if (section) {
      const button = section.querySelector("button");
      const status = section.querySelector("[data-offline-status]");
      const saved = savedList()[section.dataset.offlineModule];
      navigator.serviceWorker.ready.then(() => {
        section.querySelectorAll("[data-offline-nojs]").forEach((p) => { p.hidden = true; });
        button.hidden = false;
        if (saved) {
          status.textContent = fill(section.dataset.tSaved, { size: megabytes(saved.bytes) });
          button.textContent = section.dataset.tAgain;
        }
      });
      button.addEventListener("click", () => download(section, button, status));
    }
    const list = document.querySelector("[data-saved-modules]");
    if (list) {
      const saved = Object.values(savedList());
      saved.forEach((m) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = m.url;
        a.textContent = m.title;
        li.append(a);
        list.append(li);
      });
      list.hidden = !saved.length;
      document.querySelectorAll("[data-saved-none]").forEach((p) => { p.hidden = saved.length > 0; });
    }
  }

  /* ---------------------------------------------------------------- videos */
  // A tap anywhere on a video's poster starts it: on a phone a touch on the picture only shows the native
  // controls. Left a moment for the controls' own play button, whose tap arrives here too.
  document.addEventListener("pointerup", (event) => {
    const video = event.target;
    if (!(video instanceof HTMLVideoElement) || !video.paused || video.played.length) return;
    setTimeout(() => { if (video.paused && !video.played.length) video.play().catch(() => {}); }, 350);
  });

  /* ---------------------------------------------------------------- start */
  // The page comes first: the worker, saved modules and the outbox wait for idle time, one step per idle
  // period, so none of it delays the first taps (Lighthouse's total blocking time).
  const idle = window.requestIdleCallback ? (work) => requestIdleCallback(work, { timeout: 3000 })
    : (work) => setTimeout(work, 300);
  window.addEventListener("online", flush);
  idle(() => {
    if ("serviceWorker" in navigator && conf.sw) {
      navigator.serviceWorker.register(conf.sw, { scope: "/" }).catch(() => {});
      idle(modules);
    }
    idle(() => show().then(flush));
  });
})();
