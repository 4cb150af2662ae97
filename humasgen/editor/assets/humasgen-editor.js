/* humasgen: the browser editor's start-up (Decap CMS). Written by `humasgen editor`; do not edit. */
(function () {
  "use strict";
  var CMS = window.CMS;
  /* Indonesian for the parts officers see most; Decap shows English for the rest. */
  CMS.registerLocale("id", {
    app: {
      header: { content: "Konten", workflow: "Alur kerja", media: "Media", quickAdd: "Tambah cepat" },
      app: { errorHeader: "Konfigurasi editor tidak dapat dimuat", configErrors: "Kesalahan konfigurasi",
             checkConfigYml: "Periksa berkas config.yml (jalankan lagi `humasgen editor`).",
             loadingConfig: "Memuat konfigurasi…", waitingBackend: "Menunggu server…" },
      notFoundPage: { header: "Tidak ditemukan" }
    },
    auth: { login: "Masuk", loggingIn: "Sedang masuk…", loginWithGitHub: "Masuk dengan GitHub",
            loginWithGitLab: "Masuk dengan GitLab" },
    collection: {
      sidebar: { collections: "Koleksi", allCollections: "Semua koleksi", searchAll: "Cari semua",
                 searchIn: "Cari di" },
      collectionTop: { sortBy: "Urutkan", viewAs: "Tampilan", newButton: "+ %{collectionLabel} baru",
                       newButtonAriaLabel: "Buat %{collectionLabel} baru", ascending: "Naik",
                       descending: "Turun", filterBy: "Saring", groupBy: "Kelompokkan" },
      entries: { loadingEntries: "Memuat…", cachingEntries: "Menyiapkan…", longerLoading: "Mungkin perlu beberapa menit",
                 noEntries: "Belum ada isi", unpublishedHeader: "Belum terbit" },
      defaultFields: { author: { label: "Penulis" }, updatedOn: { label: "Diperbarui" } }
    },
    editor: {
      editorControl: { field: { optional: "opsional" } },
      editorControlPane: { widget: { required: "%{fieldLabel} wajib diisi.",
                                     regexPattern: "%{fieldLabel} tidak sesuai pola: %{pattern}.",
                                     processing: "%{fieldLabel} sedang diproses." } },
      editor: { onLeavePage: "Tinggalkan halaman ini? Perubahan yang belum disimpan akan hilang.",
                onDeletePublishedEntry: "Hapus rilis ini?", onDeleteUnpublishedChanges: "Hapus perubahan yang belum terbit?",
                loadingEntry: "Memuat…" },
      editorToolbar: { publishing: "Menerbitkan…", publish: "Terbitkan", published: "Terbit", unpublish: "Tarik",
                       duplicate: "Gandakan", publishAndCreateNew: "Terbitkan, lalu buat baru",
                       publishAndDuplicate: "Terbitkan, lalu gandakan", deleteEntry: "Hapus",
                       deletePublishedEntry: "Hapus rilis terbit", deleteUnpublishedEntry: "Hapus draf",
                       deleteUnpublishedChanges: "Hapus perubahan draf", saving: "Menyimpan…", save: "Simpan",
                       deleting: "Menghapus…", updating: "Memperbarui…", status: "Status: %{status}",
                       backCollection: " Menulis di koleksi %{collectionLabel}", unsavedChanges: "Belum disimpan",
                       changesSaved: "Tersimpan", draft: "Draf", inReview: "Ditinjau", ready: "Siap terbit",
                       publishNow: "Terbitkan sekarang", deployButtonLabel: "Lihat di situs" },
      editorWidgets: {
        markdown: { bold: "Tebal", italic: "Miring", code: "Kode", link: "Tautan", linkPrompt: "Alamat tautan",
                    headings: "Judul bagian", quote: "Kutipan", bulletedList: "Daftar berbutir",
                    numberedList: "Daftar bernomor", addComponent: "Tambah komponen", richText: "Teks",
                    markdown: "Markdown" },
        image: { choose: "Pilih foto", chooseDifferent: "Pilih foto lain", remove: "Hapus foto" },
        file: { choose: "Pilih berkas", chooseDifferent: "Pilih berkas lain", remove: "Hapus berkas" },
        datetime: { now: "Sekarang", clear: "Kosongkan" },
        list: { add: "Tambah", addType: "Tambah %{item}" }
      }
    },
    mediaLibrary: {
      mediaLibrary: { onDelete: "Hapus media yang dipilih?", fileTooLarge: "Berkas terlalu besar (maks. %{size} kB)." },
      mediaLibraryModal: { loading: "Memuat…", noResults: "Tidak ada hasil.", noAssetsFound: "Belum ada berkas.",
                           noImagesFound: "Belum ada foto.", images: "Foto", mediaAssets: "Berkas", search: "Cari…",
                           uploading: "Mengunggah…", upload: "Unggah", download: "Unduh", deleting: "Menghapus…",
                           deleteSelected: "Hapus yang dipilih", chooseSelected: "Pilih" }
    },
    ui: {
      default: { goBackToSite: "Kembali ke situs" },
      settingsDropdown: { logOut: "Keluar" },
      toast: { onFailToLoadEntries: "Gagal memuat: %{details}", onFailToPersist: "Gagal menyimpan: %{details}",
               onFailToDelete: "Gagal menghapus: %{details}", missingRequiredField: "Ada kolom wajib yang belum diisi.",
               entrySaved: "Tersimpan", entryPublished: "Terbit", entryUnpublished: "Ditarik",
               entryUpdated: "Status diperbarui", onDeleteUnpublishedChanges: "Perubahan draf dihapus" }
    },
    workflow: {
      workflow: { loading: "Memuat…", workflowHeading: "Alur kerja redaksi", newPost: "Rilis baru",
                  currentEntries: "Rilis dalam alur kerja" },
      workflowList: { deleteEntry: "Hapus", publishEntry: "Terbitkan", draftHeader: "Draf",
                      inReviewHeader: "Ditinjau", readyHeader: "Siap terbit" }
    }
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
