"""Word material for the benchmark corpus: Indonesian government-news phrases, written for it.

Sentences are assembled from these parts by `corpus.py`; nothing here comes from a real
release, so the corpus has no licence or privacy questions. Names and places are fictional.
"""
from __future__ import annotations

CATEGORIES = (  # (name, weight)
    ("Pemerintahan", 24), ("Ekonomi", 18), ("Pembangunan", 16), ("Kesehatan", 12),
    ("Pendidikan", 11), ("Sosial", 9), ("Pariwisata", 6), ("Teknologi", 4),
)

UNITS = (
    "Dinas Komunikasi dan Informatika", "Badan Perencanaan Pembangunan Daerah", "Dinas Kesehatan",
    "Dinas Pendidikan dan Kebudayaan", "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Badan Penanggulangan Bencana Daerah", "Dinas Sosial", "Dinas Perindustrian dan Perdagangan",
    "Dinas Koperasi dan UMKM", "Dinas Pariwisata", "Dinas Ketahanan Pangan",
    "Badan Pengelolaan Keuangan dan Aset Daerah", "Dinas Penanaman Modal dan PTSP", "Biro Hukum",
)

# Tags in falling order of use; the corpus picks them with Zipf-like weights 1/rank.
TAGS = (
    "pelayanan publik", "pemprov", "gubernur", "APBD", "infrastruktur", "UMKM", "kesehatan",
    "pendidikan", "stunting", "inflasi", "bantuan sosial", "kebencanaan", "investasi", "desa",
    "jalan provinsi", "digitalisasi", "pariwisata", "pangan", "beasiswa", "pertanian", "nelayan",
    "air bersih", "sanitasi", "pasar murah", "imunisasi", "sekolah", "puskesmas", "perizinan",
    "satu data", "keterbukaan informasi", "reformasi birokrasi", "ASN", "pajak daerah",
    "festival budaya", "ekonomi kreatif", "energi terbarukan", "lingkungan hidup", "banjir",
    "musim hujan", "kemarau", "pelabuhan", "transportasi", "jembatan", "irigasi", "koperasi",
    "ekspor", "harga bahan pokok", "lansia", "disabilitas", "perempuan dan anak", "pemuda",
    "olahraga", "kebersihan", "sampah", "hutan", "pesisir", "internet desa", "smart city",
    "layanan kependudukan", "PPID", "hari jadi provinsi", "kerja sama daerah", "DPRD", "RPJMD",
    "musrenbang", "vaksinasi", "gizi", "rumah sakit", "tenaga kesehatan", "guru",
)

AUTHORS = (
    "Bima Prasetya Nugraha", "Rina Kartika Sari", "Ahmad Fauzan Rahim", "Dewi Lestari Ningsih",
    "Yusuf Maulana Akbar", "Sri Wahyuni Pratiwi", "Hendra Saputra", "Maria Theresia Lamaheru",
    "Andi Muhammad Ridwan", "Nur Aisyah Hamid", "Gede Arya Wiratama", "Fitri Handayani",
    "Samuel Rumbewas", "Larasati Ayuningtyas",
)

OFFICIALS = (  # (name, role)
    ("Haris Mandala Putra", "Gubernur Nusa Harapan"),
    ("Ratna Dwi Anggraeni", "Wakil Gubernur Nusa Harapan"),
    ("Ir. Syamsul Bahri, M.T.", "Sekretaris Daerah Provinsi"),
    ("Dr. Wulan Sekarsari, M.Kes.", "Kepala Dinas Kesehatan"),
    ("Mukhtar Halim Sadewa, S.Sos.", "Kepala Pelaksana BPBD"),
    ("Drs. Paulus Kambu", "Kepala Dinas Pendidikan dan Kebudayaan"),
    ("Ir. Made Suarjana", "Kepala Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("Siti Rahmawati, S.E., M.Si.", "Kepala Dinas Koperasi dan UMKM"),
    ("Teguh Santoso, S.Kom.", "Kepala Dinas Komunikasi dan Informatika"),
    ("Hj. Nurhayati Lubis", "Kepala Dinas Sosial"),
    ("Agus Setiawan, S.T.", "Kepala Badan Perencanaan Pembangunan Daerah"),
    ("Yohana Pattiasina, S.Par.", "Kepala Dinas Pariwisata"),
)

PLACES = (
    "Bandar Harapan", "Kabupaten Tanjung Selatan", "Kabupaten Lembah Hijau", "Kota Teluk Damar",
    "Kabupaten Pesisir Timur", "Kabupaten Kepulauan Karang", "Kabupaten Gunung Damar",
    "Kota Sungai Harapan", "Kabupaten Padang Savana", "Kabupaten Batu Merah", "Kota Pelabuhan Baru",
    "Kabupaten Hulu Jaya",
)

VENUES = (
    "Aula Kantor Gubernur", "Lapangan Merdeka", "Gedung Serbaguna Provinsi", "Ruang Rapat Bappeda",
    "Pendopo Rumah Jabatan Gubernur", "Balai Desa Sukamaju", "Taman Budaya Nusa Harapan",
    "Mal Pelayanan Publik", "Gedung DPRD Provinsi", "Hotel Teluk Permai",
)

PROGRAMS = (
    "program Desa Terkoneksi", "gerakan Nusa Harapan Bebas Stunting", "program Beasiswa Nusa Cerdas",
    "bantuan modal usaha mikro", "pembangunan jalan lingkar selatan", "operasi pasar murah",
    "layanan Satu Data Nusa Harapan", "program rumah layak huni", "vaksinasi anak sekolah",
    "revitalisasi pasar tradisional", "program air bersih perdesaan", "kartu tani digital",
    "pelatihan vokasi bagi pemuda", "rehabilitasi irigasi tersier", "festival kuliner nusantara",
    "pemeriksaan kesehatan gratis", "sertifikasi halal gratis bagi UMKM", "penanaman sejuta mangrove",
    "perbaikan jembatan gantung", "pelayanan perizinan satu pintu",
)

TITLE_VERBS = (
    "Luncurkan", "Perluas", "Percepat", "Tingkatkan", "Resmikan", "Evaluasi", "Perkuat",
    "Salurkan", "Targetkan", "Gelar", "Dorong", "Lanjutkan",
)

TITLE_SUBJECTS = (
    "Pemprov Nusa Harapan", "Gubernur", "Wagub", "Diskominfo", "Dinkes", "Disdikbud",
    "Dinas PUPR", "BPBD", "Dinsos", "Bappeda", "Dinas Koperasi dan UMKM", "Dispar",
)

TITLE_TAILS = (
    "di {place}", "untuk {count} Desa", "di {count} Kelurahan", "bagi {count} Keluarga",
    "bagi {count} Pelaku Usaha", "dengan Anggaran Rp{money} Miliar", "di {count} Sekolah",
    "di {count} Puskesmas", "hingga {count} Titik Layanan", "untuk {count} Nelayan",
)

OPENINGS = (
    "Pemerintah Provinsi Nusa Harapan melalui {unit} {verb} {program} di {place}, {day}.",
    "{role}, {name}, {verb} {program} yang dipusatkan di {venue}, {place}, {day}.",
    "Sebanyak {count} warga di {place} mulai merasakan manfaat {program} yang {verb2} sejak awal tahun.",
    "{unit} Provinsi Nusa Harapan mencatat capaian {program} telah mencapai {pct} persen dari target tahun {year}.",
)

VERBS = (
    "meluncurkan", "meresmikan", "memperluas", "melanjutkan", "mengevaluasi", "memantau pelaksanaan",
    "menyosialisasikan", "mempercepat", "memperkuat koordinasi", "menyerahkan secara simbolis",
)

VERBS2 = (
    "digulirkan", "dilaksanakan", "diperluas", "dijalankan bertahap", "didukung APBD", "dipercepat",
)

SUBJECTS = (
    "Pemerintah provinsi", "Tim teknis", "Pemerintah kabupaten/kota", "Para kepala desa",
    "Petugas lapangan", "Pelaku usaha", "Masyarakat setempat", "Organisasi perangkat daerah",
    "Tim percepatan", "Para pendamping", "Kelompok tani", "Tenaga kesehatan", "Para guru",
    "Penyuluh lapangan", "Relawan", "Dunia usaha",
)

PREDICATES = (
    "terus berkoordinasi dengan instansi terkait", "menyiapkan langkah tindak lanjut",
    "memastikan anggaran digunakan secara tepat sasaran", "melakukan pendataan ulang penerima manfaat",
    "meningkatkan kualitas pelayanan kepada masyarakat", "mengikuti pelatihan teknis selama tiga hari",
    "menyampaikan laporan perkembangan setiap bulan", "mendukung pelaksanaan program di lapangan",
    "menyusun rencana aksi daerah", "memperbaiki sarana dan prasarana pendukung",
    "membuka posko pengaduan di setiap kecamatan", "menyalurkan bantuan sesuai data terpadu",
    "memperkuat pengawasan bersama aparat penegak hukum", "mengoptimalkan pemanfaatan teknologi informasi",
    "melibatkan tokoh masyarakat dan tokoh agama", "menjaga stabilitas harga di pasar tradisional",
)

COMPLEMENTS = (
    "agar manfaatnya dirasakan langsung oleh warga", "sesuai dengan arah kebijakan RPJMD",
    "sehingga target tahun ini dapat tercapai", "dengan memperhatikan kondisi di setiap wilayah",
    "tanpa memungut biaya apa pun dari masyarakat", "sebagaimana diamanatkan peraturan daerah",
    "dengan melibatkan pemerintah desa", "mulai pekan depan", "hingga akhir triwulan berjalan",
    "melalui kanal pengaduan resmi", "dengan prioritas pada wilayah terpencil",
    "bersama perguruan tinggi setempat", "secara transparan dan akuntabel",
)

FACT_SENTENCES = (
    "Anggaran yang dialokasikan untuk kegiatan ini mencapai Rp{money} miliar dari APBD tahun {year}.",
    "Hingga pekan ini, realisasi fisik telah mencapai {pct} persen, lebih cepat dari jadwal semula.",
    "Jumlah penerima manfaat tercatat sebanyak {count} orang yang tersebar di {small} kecamatan.",
    "Kegiatan tersebut diikuti oleh {count} peserta dari {small} kabupaten/kota.",
    "Data menunjukkan angka kasus turun {pct} persen dibandingkan periode yang sama tahun lalu.",
    "Pemerintah menargetkan {count} unit selesai dibangun sebelum akhir tahun {year}.",
    "Sebanyak {small} titik layanan tambahan akan dibuka di daerah yang sulit dijangkau.",
    "Nilai transaksi selama kegiatan berlangsung tercatat Rp{money} miliar.",
)

QUOTES = (
    "Kami ingin memastikan setiap rupiah anggaran benar-benar kembali kepada masyarakat dalam bentuk pelayanan yang lebih baik.",
    "Program ini bukan pekerjaan satu dinas saja, melainkan kerja bersama seluruh perangkat daerah dan masyarakat.",
    "Saya minta seluruh kepala daerah mengawal pelaksanaannya sampai ke tingkat desa, jangan hanya di atas kertas.",
    "Kalau ada kendala di lapangan, segera laporkan. Pintu kantor kami terbuka dan kanal pengaduan aktif setiap hari.",
    "Capaian ini adalah hasil kerja keras petugas lapangan yang setiap hari bertemu langsung dengan warga.",
    "Tahun depan kami akan memperluas jangkauan program ke wilayah kepulauan yang selama ini belum terlayani.",
    "Data yang akurat adalah kunci. Tanpa data yang baik, bantuan bisa salah sasaran.",
    "Kami mengajak masyarakat untuk ikut mengawasi dan memberi masukan agar program ini terus membaik.",
)

LIST_INTROS = (
    "Adapun langkah-langkah yang disiapkan antara lain:",
    "Masyarakat dapat memanfaatkan layanan ini dengan cara sebagai berikut:",
    "Beberapa persyaratan yang perlu disiapkan calon penerima adalah:",
    "Sejumlah kegiatan utama dalam rangkaian acara tersebut meliputi:",
    "Pemerintah provinsi juga mengimbau warga untuk:",
)

LIST_ITEMS = (
    "menyiapkan fotokopi KTP dan kartu keluarga", "mendaftar melalui kantor desa atau kelurahan setempat",
    "mengisi formulir pendaftaran secara daring", "mengikuti verifikasi data oleh petugas",
    "memantau pengumuman resmi melalui laman pemerintah provinsi", "tidak mudah percaya pada kabar yang belum jelas sumbernya",
    "melaporkan pungutan liar melalui kanal pengaduan", "menjaga kebersihan lingkungan sekitar tempat tinggal",
    "membawa surat keterangan usaha dari kepala desa", "menghadiri sosialisasi di balai desa",
    "memeriksakan kesehatan balita secara rutin ke posyandu", "menghemat penggunaan air selama musim kemarau",
    "mengikuti pelatihan yang diselenggarakan secara gratis", "menyimpan bukti pendaftaran hingga proses selesai",
    "membersihkan saluran air di sekitar rumah", "memanfaatkan layanan konsultasi tanpa biaya",
)

TABLES = (  # (caption, header, row label pool, value kinds)
    ("Realisasi anggaran per kabupaten/kota", ("Kabupaten/Kota", "Pagu (Rp juta)", "Realisasi (Rp juta)", "Persentase"),
     "places", ("money", "money", "pct")),
    ("Jumlah penerima manfaat per wilayah", ("Wilayah", "Keluarga", "Perorangan"), "places", ("count", "count")),
    ("Capaian program per triwulan", ("Triwulan", "Target", "Capaian", "Persentase"), "quarters", ("count", "count", "pct")),
    ("Harga rata-rata bahan pokok", ("Komoditas", "Harga (Rp/kg)", "Perubahan"), "goods", ("price", "change")),
)

QUARTERS = ("Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV")
GOODS = ("Beras medium", "Gula pasir", "Minyak goreng", "Cabai merah", "Bawang merah", "Telur ayam",
         "Daging ayam", "Tepung terigu")

SUBHEADINGS = (
    "Latar belakang", "Sasaran program", "Tahapan pelaksanaan", "Dukungan anggaran",
    "Tanggapan masyarakat", "Langkah berikutnya", "Capaian sementara", "Kerja sama lintas sektor",
)

CLOSINGS = (
    "Informasi lebih lanjut dapat diperoleh melalui pusat layanan informasi di nomor (0599) 000-{small:04d}.",
    "Masyarakat dapat menyampaikan pertanyaan dan pengaduan melalui layanan PPID Provinsi Nusa Harapan.",
    "Perkembangan program akan diumumkan secara berkala melalui laman resmi dan media sosial pemerintah provinsi.",
)

IMAGES = (  # (file name, alt text, caption)
    ("kegiatan-lapangan.jpg", "Petugas berseragam berbincang dengan warga di halaman balai desa",
     "Petugas mendengarkan keluhan warga dalam kunjungan lapangan."),
    ("rapat-koordinasi.jpg", "Peserta rapat duduk mengelilingi meja panjang di ruang rapat",
     "Rapat koordinasi lintas perangkat daerah."),
    ("pelabuhan-rakyat.jpg", "Kapal kayu bersandar di dermaga pada pagi hari",
     "Aktivitas bongkar muat di pelabuhan rakyat."),
    ("sawah-irigasi.jpg", "Hamparan sawah hijau dengan saluran irigasi di tepinya",
     "Saluran irigasi yang baru direhabilitasi mengairi sawah warga."),
    ("layanan-publik.jpg", "Warga antre di loket pelayanan yang tertata rapi",
     "Suasana loket pelayanan terpadu."),
    ("jalan-provinsi.jpg", "Ruas jalan beraspal mulus membelah perbukitan",
     "Ruas jalan provinsi setelah peningkatan kualitas."),
)
