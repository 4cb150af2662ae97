/* humasgen: the browser editor's start-up (Decap CMS). Written by `humasgen editor`; do not edit. */
(function () {
  "use strict";
  var CMS = window.CMS;
  /* Releases live anywhere in content/, the other content types in folders of it
     (content/agenda/...): a folder collection's listing leaves out the folders of the other
     collections inside it, whatever the back end (local, GitHub, GitLab). */
  function inner(config, folder) {
    return (config.collections || []).map(function (c) { return c.folder; }).filter(function (f) {
      return f && f !== folder && f.indexOf(folder + "/") === 0;
    });
  }
  function outside(files, skip) {
    var kept = files.filter(function (f) {
      var path = (f.file && f.file.path) || f.path || "";
      return !skip.some(function (s) { return path.indexOf(s + "/") === 0; });
    });
    Object.getOwnPropertySymbols(files).forEach(function (s) { kept[s] = files[s]; });    /* the cursor */
    return kept;
  }
  ["proxy", "github", "gitlab", "git-gateway", "gitea", "bitbucket", "azure"].forEach(function (name) {
    var entry = CMS.getBackend(name);
    if (!entry) { return; }
    var init = entry.init;
    entry.init = function (config, options) {
      var backend = init(config, options);
      ["entriesByFolder", "allEntriesByFolder"].forEach(function (method) {
        var original = backend[method];
        if (typeof original !== "function") { return; }
        backend[method] = function (folder) {
          var skip = inner(config, String(folder).replace(/\/+$/, ""));
          return original.apply(backend, arguments).then(function (files) {
            return skip.length && Array.isArray(files) ? outside(files, skip) : files;
          });
        };
      });
      return backend;
    };
  });
  /* The lead photo needs alt text: checked before every save, locally and online. */
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var data = event.entry.get("data");
      var image = data.get("image"), alt = data.get("image_alt");
      if (image && !(alt && String(alt).trim())) {
        throw new Error("Teks alternatif foto wajib diisi: tulis apa yang terlihat di foto utama.");
      }
      return data;
    }
  });
  CMS.init();
})();
