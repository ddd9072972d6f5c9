#include "dsr/demo/sample_rows.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

namespace dsr::sample {

const std::vector<TableDef>& tables() {
  // Times are TEXT in RFC 3339 on SQLite (what dsr itself writes) and DATETIME on
  // MySQL, as each engine's users would store them. No foreign keys: like many
  // marketing stores, integrity is the application's, and retained invoices must
  // outlive the orders an erasure removes.
  static const std::vector<TableDef> defs = {
      {Table::subscribers,
       "subscribers",
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"telegram_id", "BIGINT NOT NULL", "BIGINT NOT NULL"},
        {"username", "TEXT", "VARCHAR(32)"},
        {"first_name", "TEXT NOT NULL", "VARCHAR(64) NOT NULL"},
        {"last_name", "TEXT", "VARCHAR(64)"},
        {"email", "TEXT", "VARCHAR(254)"},
        {"phone", "TEXT", "VARCHAR(16)"},
        {"language_code", "TEXT", "VARCHAR(10)"},
        {"signup_ip", "TEXT", "VARCHAR(45)"},
        {"created_at", "TEXT NOT NULL", "DATETIME NOT NULL"},
        {"lead_score", "REAL", "DOUBLE"}},
       {{"telegram_id", false}, {"username", true}, {"email", true}, {"phone", false}}},
      {Table::opt_ins,
       "opt_ins",
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"subscriber_id", "BIGINT NOT NULL", "BIGINT NOT NULL"},
        {"channel", "TEXT NOT NULL", "VARCHAR(16) NOT NULL"},
        {"opted_in", "INTEGER NOT NULL", "TINYINT NOT NULL"},
        {"changed_at", "TEXT NOT NULL", "DATETIME NOT NULL"}},
       {{"subscriber_id", false}}},
      {Table::consent_log,
       "consent_log",
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"subscriber_id", "BIGINT NOT NULL", "BIGINT NOT NULL"},
        {"action", "TEXT NOT NULL", "VARCHAR(32) NOT NULL"},
        {"at", "TEXT NOT NULL", "DATETIME NOT NULL"},
        {"source", "TEXT NOT NULL", "VARCHAR(32) NOT NULL"}},
       {{"subscriber_id", false}}},
      {Table::chats,
       "chats",
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"kind", "TEXT NOT NULL", "VARCHAR(8) NOT NULL"},
        {"title", "TEXT", "VARCHAR(128)"}},
       {}},
      {Table::messages,
       "messages",
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"chat_id", "BIGINT NOT NULL", "BIGINT NOT NULL"},
        {"sender_id", "BIGINT", "BIGINT"},
        {"text", "TEXT NOT NULL", "TEXT NOT NULL"},
        {"sent_at", "TEXT NOT NULL", "DATETIME NOT NULL"}},
       {{"chat_id", false}, {"sender_id", false}}},
      {Table::campaigns,
       "campaigns",
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"name", "TEXT NOT NULL", "VARCHAR(128) NOT NULL"},
        {"sent_at", "TEXT NOT NULL", "DATETIME NOT NULL"}},
       {}},
      {Table::link_clicks,
       "link_clicks",
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"subscriber_id", "BIGINT NOT NULL", "BIGINT NOT NULL"},
        {"campaign_id", "BIGINT NOT NULL", "BIGINT NOT NULL"},
        {"url", "TEXT NOT NULL", "VARCHAR(255) NOT NULL"},
        {"clicked_at", "TEXT NOT NULL", "DATETIME NOT NULL"},
        {"ip", "TEXT", "VARCHAR(45)"}},
       {{"subscriber_id", false}, {"campaign_id", false}}},
      {Table::orders,
       "orders",
       // subscriber_id may be NULL: erasure retains orders but cuts their link to the person.
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"subscriber_id", "BIGINT", "BIGINT"},
        {"total_cents", "INTEGER NOT NULL", "INT NOT NULL"},
        {"currency", "TEXT NOT NULL", "CHAR(3) NOT NULL"},
        {"created_at", "TEXT NOT NULL", "DATETIME NOT NULL"}},
       {{"subscriber_id", false}}},
      {Table::invoices,
       "invoices",
       {{"id", "INTEGER PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
        {"order_id", "BIGINT NOT NULL", "BIGINT NOT NULL"},
        {"billing_name", "TEXT NOT NULL", "VARCHAR(128) NOT NULL"},
        {"billing_address", "TEXT NOT NULL", "VARCHAR(255) NOT NULL"},
        {"amount_cents", "INTEGER NOT NULL", "INT NOT NULL"},
        {"issued_at", "TEXT NOT NULL", "DATETIME NOT NULL"}},
       {{"order_id", false}}},
  };
  return defs;
}

namespace {

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm), and back.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::int64_t utc(std::int64_t y, unsigned mo, unsigned d, unsigned h = 0, unsigned mi = 0,
                           unsigned s = 0) {
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

constexpr std::int64_t kStart = utc(2021, 1, 1);
constexpr std::int64_t kSignupEnd = utc(2025, 7, 1);
constexpr std::int64_t kEnd = utc(2026, 1, 1);
constexpr std::int64_t kDay = 86400;

// xoshiro256** seeded through splitmix64: fast, and the same sequence on every
// platform, which the standard distributions do not promise.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. The high half of a 128-bit product avoids the modulo's bias.
  std::uint64_t below(std::uint64_t n) {
    __extension__ typedef unsigned __int128 Wide;
    return static_cast<std::uint64_t>((static_cast<Wide>(next()) * n) >> 64);
  }
  std::int64_t between(std::int64_t from, std::int64_t to) {  // [from, to)
    return from +
           static_cast<std::int64_t>(below(static_cast<std::uint64_t>(std::max<std::int64_t>(to - from, 1))));
  }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

struct Name {
  std::string_view display;  // as the person wrote it
  std::string_view ascii;    // for addresses and usernames
};

// Names from many languages, so exports are exercised with UTF-8 and apostrophes.
constexpr std::array<Name, 30> kFirstNames{{
    {"Anna", "anna"},      {"Lukas", "lukas"},   {"Zoë", "zoe"},       {"Łukasz", "lukasz"},
    {"Jürgen", "juergen"}, {"Chloé", "chloe"},   {"Mateo", "mateo"},   {"Olga", "olga"},
    {"Søren", "soeren"},   {"Aoife", "aoife"},   {"Mia", "mia"},       {"Noah", "noah"},
    {"Emma", "emma"},      {"Liam", "liam"},     {"Sofia", "sofia"},   {"Elias", "elias"},
    {"Hannah", "hannah"},  {"Luca", "luca"},     {"Amélie", "amelie"}, {"Jonas", "jonas"},
    {"Oksana", "oksana"},  {"Dmytro", "dmytro"}, {"Fatima", "fatima"}, {"Yusuf", "yusuf"},
    {"Inès", "ines"},      {"Tomás", "tomas"},   {"Kofi", "kofi"},     {"Mei", "mei"},
    {"Aarav", "aarav"},    {"Sakura", "sakura"},
}};
constexpr std::array<Name, 30> kLastNames{{
    {"Müller", "mueller"},      {"Schmidt", "schmidt"}, {"García", "garcia"},
    {"Rossi", "rossi"},         {"Dubois", "dubois"},   {"Kowalski", "kowalski"},
    {"Nowak", "nowak"},         {"O'Brien", "obrien"},  {"Jensen", "jensen"},
    {"Novák", "novak"},         {"Fischer", "fischer"}, {"Weber", "weber"},
    {"Silva", "silva"},         {"Smith", "smith"},     {"Kovalenko", "kovalenko"},
    {"Yılmaz", "yilmaz"},       {"Hansen", "hansen"},   {"Bianchi", "bianchi"},
    {"Martin", "martin"},       {"Nielsen", "nielsen"}, {"Papadopoulos", "papadopoulos"},
    {"Horvat", "horvat"},       {"Ivanova", "ivanova"}, {"Lefèvre", "lefevre"},
    {"Schneider", "schneider"}, {"Costa", "costa"},     {"Walsh", "walsh"},
    {"Tanaka", "tanaka"},       {"Mensah", "mensah"},   {"Wagner", "wagner"},
}};
// Reserved for documentation and tests (RFC 2606, RFC 6761): no real mailbox gets mail.
constexpr std::array<std::string_view, 6> kDomains{"example.com",  "example.org", "example.net",
                                                   "mail.example", "inbox.test",  "post.example"};
constexpr std::array<std::string_view, 12> kLanguages{"de", "de", "en", "en", "en",    "fr",
                                                      "es", "it", "pl", "uk", "pt-br", "nl"};
// Mobile prefixes of four countries; the eight digits after them are the subscriber
// number, so every stored phone is unique and none equals the known subject's +49151...
constexpr std::array<std::string_view, 4> kPhonePrefixes{"+49157", "+4479", "+336", "+43664"};
constexpr std::array<std::string_view, 5> kConsentActions{"opt_in", "double_opt_in_confirmed", "opt_out",
                                                          "preferences_updated", "opt_in"};
constexpr std::array<std::string_view, 4> kConsentSources{"telegram_bot", "web_form", "email_link",
                                                          "support"};
constexpr std::array<std::string_view, 24> kPrivateTexts{
    "/start",
    "/help",
    "Hi! Do you ship to Austria?",
    "When does the sale end?",
    "Please send me the catalogue.",
    "Is the blue one back in stock?",
    "Where is my order?",
    "Thanks, it arrived today!",
    "Can I pay by invoice?",
    "The link in the newsletter does not open for me.",
    "What sizes do you have?",
    "Stop sending me so many messages please",
    "Do you have a store in Berlin?",
    "I'd like to return the jacket.",
    "How long does delivery take to France?",
    "Merci ! Ça marche très bien.",
    "Danke für die schnelle Antwort 👍",
    "Is there a discount code for students?",
    "Can I change my delivery address?",
    "/settings",
    "Please unsubscribe me from emails but keep Telegram.",
    "Любой размер подойдёт, спасибо",
    "What's the warranty on the headphones?",
    "ok",
};
constexpr std::array<std::string_view, 16> kGroupTexts{
    "Has anyone tried the new running shoes?",
    "The sale code worked for me, thanks!",
    "Mine arrived in two days 🚀",
    "Does the discount apply to accessories?",
    "Which size did you take?",
    "I can recommend the rain jacket.",
    "Anyone else waiting for the restock?",
    "Good morning everyone!",
    "The app keeps logging me out.",
    "Photos of my haul in a minute",
    "Is shipping free above 50 EUR?",
    "Thanks for the tip!",
    "Does anyone know the return window?",
    "Same here.",
    "Grüße aus Hamburg!",
    "Who's going to the pop-up store on Saturday?",
};
constexpr std::array<std::string_view, 8> kGroupTopics{"Sneaker Deals", "Outdoor Gear",  "Running Club",
                                                       "Vintage Finds", "Tech Bargains", "Home & Garden",
                                                       "Kids' Corner",  "Coffee Lovers"};
constexpr std::array<std::string_view, 8> kCities{"Berlin", "Hamburg", "Wien",   "Paris",
                                                  "Lyon",   "London",  "Munich", "Zürich"};
constexpr std::array<std::string_view, 8> kCampaignThemes{
    "Spring Sale",  "Summer Newsletter", "Back to School", "Autumn Drop",
    "Black Friday", "Advent Calendar",   "New Year Deals", "Loyalty Bonus"};
constexpr std::array<std::string_view, 6> kLandingPages{"sale",    "new-in",     "shoes",
                                                        "jackets", "gift-cards", "outlet"};
constexpr std::array<std::string_view, 3> kCurrencies{"EUR", "GBP", "USD"};
constexpr std::array<std::string_view, 10> kStreets{
    "Hauptstraße", "Rue de la Paix", "High Street", "Bahnhofstraße", "Via Roma",
    "Main Street", "Lindenallee",    "Ringstraße",  "Calle Mayor",   "Kings Road"};

class Generator {
 public:
  Generator(const SampleOptions& options, RowSink& sink)
      : options_(options),
        sink_(sink),
        rng_(options.seed),
        groups_(std::max<std::int64_t>(3, static_cast<std::int64_t>(options.subjects / 50))),
        campaign_count_(std::max<std::int64_t>(3, static_cast<std::int64_t>(options.subjects / 500))) {}

  SampleCounts run() {
    campaigns();
    group_chats();
    known_subject();
    for (std::int64_t i = 2; i <= static_cast<std::int64_t>(options_.subjects); ++i) subject(i);
    SampleCounts counts;
    for (const TableDef& def : tables())
      counts.emplace_back(def.name, rows_[static_cast<std::size_t>(def.table)]);
    return counts;
  }

 private:
  std::int64_t emit(Table table, std::initializer_list<Cell> cells) {
    row_.assign(cells);
    sink_.add(table, row_);
    return static_cast<std::int64_t>(++rows_[static_cast<std::size_t>(table)]);
  }

  // How many rows of a kind a subject has: uniform around mean * scale.
  std::uint64_t count(double mean) {
    const auto top = static_cast<std::uint64_t>(std::llround(2 * mean * options_.scale));
    return rng_.below(top + 1);
  }

  // `n` times between from and to, in order, so a subject's history reads forwards.
  const std::vector<std::int64_t>& times(std::uint64_t n, std::int64_t from, std::int64_t to) {
    times_.clear();
    for (std::uint64_t k = 0; k < n; ++k) times_.push_back(rng_.between(from, to));
    std::sort(times_.begin(), times_.end());
    return times_;
  }

  // Draws are made one per statement: the order in which function arguments are
  // evaluated is unspecified, and the sequence must not depend on the compiler.
  std::string_view ip() {
    unsigned part[4];
    if (rng_.chance(10)) {
      part[0] = static_cast<unsigned>(0x8000 + rng_.below(0x1000));
      part[1] = static_cast<unsigned>(rng_.below(0x10000));
      part[2] = static_cast<unsigned>(rng_.below(0x10000));
      part[3] = static_cast<unsigned>(1 + rng_.below(0xfffe));
      ip_len_ = std::snprintf(ip_, sizeof ip_, "2a02:%x:%x:%x::%x", part[0], part[1], part[2], part[3]);
    } else {
      part[0] = static_cast<unsigned>(31 + rng_.below(192));
      if (part[0] == 127) part[0] = 128;
      part[1] = static_cast<unsigned>(rng_.below(256));
      part[2] = static_cast<unsigned>(rng_.below(256));
      part[3] = static_cast<unsigned>(1 + rng_.below(254));
      ip_len_ = std::snprintf(ip_, sizeof ip_, "%u.%u.%u.%u", part[0], part[1], part[2], part[3]);
    }
    return {ip_, static_cast<std::size_t>(ip_len_)};
  }

  std::string_view url(std::int64_t campaign) {
    url_ = "https://shop.example.com/";
    url_ += kLandingPages[static_cast<std::size_t>(campaign) % kLandingPages.size()];
    url_ += "?utm_source=newsletter&utm_campaign=c";
    url_ += std::to_string(campaign);
    return url_;
  }

  void campaigns() {
    campaign_sent_.assign(1, 0);
    const std::int64_t fixed[] = {utc(2023, 3, 20, 8, 0, 0), utc(2023, 6, 15, 8, 0, 0)};
    for (std::int64_t k = 1; k <= campaign_count_; ++k) {
      const std::int64_t sent = k <= 2 ? fixed[k - 1] : rng_.between(kStart, kEnd - 30 * kDay);
      const std::int64_t year = 2021 + (sent - kStart) / (365 * kDay);
      name_ = kCampaignThemes[static_cast<std::size_t>(k - 1) % kCampaignThemes.size()];
      name_ += ' ';
      name_ += std::to_string(std::min<std::int64_t>(year, 2025));
      if (k > 2) name_ += " #" + std::to_string(k);
      campaign_sent_.push_back(sent);
      emit(Table::campaigns, {Cell::of(k), Cell::of(name_), Cell::at(sent)});
    }
  }

  void group_chats() {
    emit(Table::chats, {Cell::of(1), Cell::of("group"), Cell::of("Spring Sale Fans")});
    for (std::int64_t k = 2; k <= groups_; ++k) {
      name_ = kGroupTopics[static_cast<std::size_t>(k) % kGroupTopics.size()];
      name_ += ' ';
      name_ += kCities[static_cast<std::size_t>(k / 8) % kCities.size()];
      emit(Table::chats, {Cell::of(k), Cell::of("group"), Cell::of(name_)});
    }
  }

  // Fixed rows: they do not depend on the options and draw nothing from rng_.
  void known_subject() {
    const KnownSubject jane;
    const std::int64_t created = utc(2023, 3, 14, 9, 26, 53);
    emit(Table::subscribers,
         {Cell::of(1), Cell::of(jane.telegram_id), Cell::of(jane.username), Cell::of("Jane"), Cell::of("Doe"),
          Cell::of(jane.email), Cell::of(jane.phone), Cell::of("de"), Cell::of("203.0.113.7"),
          Cell::at(created), Cell::of_real(72.5)});
    emit(Table::opt_ins, {Cell::of(next_id(Table::opt_ins)), Cell::of(1), Cell::of("telegram"), Cell::of(1),
                          Cell::at(created + 17)});
    emit(Table::opt_ins, {Cell::of(next_id(Table::opt_ins)), Cell::of(1), Cell::of("email"), Cell::of(1),
                          Cell::at(created + 249)});
    emit(Table::consent_log, {Cell::of(next_id(Table::consent_log)), Cell::of(1), Cell::of("opt_in"),
                              Cell::at(created + 17), Cell::of("telegram_bot")});
    emit(Table::consent_log,
         {Cell::of(next_id(Table::consent_log)), Cell::of(1), Cell::of("double_opt_in_confirmed"),
          Cell::at(created + 249), Cell::of("email_link")});
    emit(Table::consent_log,
         {Cell::of(next_id(Table::consent_log)), Cell::of(1), Cell::of("preferences_updated"),
          Cell::at(utc(2024, 11, 2, 18, 5, 41)), Cell::of("telegram_bot")});
    const std::int64_t chat = private_chat(1);
    const std::pair<const char*, std::int64_t> private_messages[] = {
        {"/start", created},
        {"Hi! Do you ship to Austria?", created + 95},
        {"Great, thanks. Can I pay by invoice?", utc(2023, 4, 2, 10, 12, 7)},
        {"Please send me the spring catalogue.", utc(2024, 3, 1, 7, 44, 30)},
    };
    for (const auto& [text, at] : private_messages) message(chat, 1, text, at);
    message(1, 1, "Has anyone tried the new running shoes?", utc(2023, 5, 6, 19, 2, 11));
    message(1, 1, "The spring sale code worked for me, thanks!", utc(2024, 3, 22, 12, 30, 0));
    click(1, 1, "203.0.113.7", utc(2023, 3, 20, 8, 41, 3));
    click(1, 1, "198.51.100.23", utc(2023, 3, 21, 19, 15, 44));
    click(1, 2, "203.0.113.7", utc(2023, 6, 15, 9, 3, 58));
    const std::int64_t first = order(1, 4990, "EUR", utc(2023, 4, 2, 10, 20, 0));
    invoice(first, "Jane Doe", "Musterstraße 12, 10115 Berlin", 4990, utc(2023, 4, 2, 10, 21, 5));
    const std::int64_t second = order(1, 12900, "EUR", utc(2024, 11, 20, 16, 48, 12));
    invoice(second, "Jane Doe", "Musterstraße 12, 10115 Berlin", 12900, utc(2024, 11, 20, 16, 49, 0));
  }

  void subject(std::int64_t i) {
    const Name& first = rng_.pick(kFirstNames);
    const bool has_last = rng_.chance(85);
    const Name& last = rng_.pick(kLastNames);
    const std::int64_t telegram_id = 1'000'000'000 + i * 97 + static_cast<std::int64_t>(rng_.below(97));
    const std::string number = std::to_string(i);

    const bool has_username = rng_.chance(70);
    const bool capitalised = rng_.chance(40);
    if (has_username) {
      username_.assign(first.ascii);
      if (has_last) (username_ += '_') += last.ascii;
      username_ += number;
      if (capitalised) username_[0] = static_cast<char>(username_[0] - 'a' + 'A');
    }

    const bool has_email = rng_.chance(85);
    const bool mixed_case = rng_.chance(30);
    const std::string_view domain = rng_.pick(kDomains);
    if (has_email) {
      email_.assign(first.ascii);
      if (has_last) (email_ += '.') += last.ascii;
      (email_ += number) += '@';
      email_ += domain;
      if (mixed_case) {
        email_[0] = static_cast<char>(email_[0] - 'a' + 'A');
        if (const auto dot = email_.find('.'); has_last && dot < email_.find('@'))
          email_[dot + 1] = static_cast<char>(email_[dot + 1] - 'a' + 'A');
        const auto at = email_.find('@');
        email_[at + 1] = static_cast<char>(email_[at + 1] - 'a' + 'A');
      }
    }

    const bool has_phone = rng_.chance(75);
    const std::string_view prefix = rng_.pick(kPhonePrefixes);
    if (has_phone) {
      phone_.assign(prefix);
      phone_.append(number.size() < 8 ? 8 - number.size() : 0, '0');
      phone_ += number;
    }

    const std::string_view language = rng_.pick(kLanguages);
    const std::string signup_ip(ip());
    const std::int64_t created = rng_.between(kStart, kSignupEnd);
    const bool has_score = rng_.chance(90);
    const double score = static_cast<double>(rng_.below(10001)) / 100.0;
    emit(Table::subscribers,
         {Cell::of(i), Cell::of(telegram_id), has_username ? Cell::of(username_) : Cell::null(),
          Cell::of(first.display), has_last ? Cell::of(last.display) : Cell::null(),
          has_email ? Cell::of(email_) : Cell::null(), has_phone ? Cell::of(phone_) : Cell::null(),
          Cell::of(language), Cell::of(signup_ip), Cell::at(created),
          has_score ? Cell::of_real(score) : Cell::null()});

    const std::int64_t settle = created + static_cast<std::int64_t>(rng_.below(30 * kDay));
    emit(Table::opt_ins, {Cell::of(next_id(Table::opt_ins)), Cell::of(i), Cell::of("telegram"),
                          Cell::of(rng_.chance(85) ? 1 : 0), Cell::at(created + 20)});
    emit(Table::opt_ins, {Cell::of(next_id(Table::opt_ins)), Cell::of(i), Cell::of("email"),
                          Cell::of(has_email && rng_.chance(60) ? 1 : 0), Cell::at(settle)});

    for (const std::int64_t at : times(count(3), created, kEnd)) {
      emit(Table::consent_log,
           {Cell::of(next_id(Table::consent_log)), Cell::of(i), Cell::of(rng_.pick(kConsentActions)),
            Cell::at(at), Cell::of(rng_.pick(kConsentSources))});
    }

    const std::int64_t chat = private_chat(i);
    for (const std::int64_t at : times(count(14), created, kEnd))
      message(chat, i, rng_.pick(kPrivateTexts), at);

    // The first few subscribers always write in the known subject's group, so that
    // chat is shared whatever the options.
    const bool in_known_group = i <= 4;
    if (in_known_group || rng_.chance(30)) {
      const std::int64_t group = in_known_group ? 1 : 1 + static_cast<std::int64_t>(rng_.below(groups_));
      const std::uint64_t n = std::max<std::uint64_t>(in_known_group ? 1 : 0, count(5));
      for (const std::int64_t at : times(n, created, kEnd)) message(group, i, rng_.pick(kGroupTexts), at);
    }

    for (std::uint64_t n = count(8); n > 0; --n) {
      const std::int64_t campaign = 1 + static_cast<std::int64_t>(rng_.below(campaign_count_));
      const std::int64_t from = std::max(created, campaign_sent_[static_cast<std::size_t>(campaign)]);
      const std::int64_t at = rng_.between(from, from + 7 * kDay);
      const std::string click_ip = rng_.chance(60) ? signup_ip : std::string(ip());
      click(i, campaign, click_ip, at);
    }

    for (const std::int64_t at : times(count(1.5), created, kEnd)) {
      const auto total = static_cast<std::int64_t>(990 + rng_.below(24000));
      const std::int64_t id = order(i, total, rng_.pick(kCurrencies), at);
      if (!rng_.chance(90)) continue;
      name_.assign(first.display);
      if (has_last) (name_ += ' ') += last.display;
      address_.assign(rng_.pick(kStreets));
      (address_ += ' ') += std::to_string(1 + rng_.below(180));
      (address_ += ", ") += std::to_string(10000 + rng_.below(89999));
      (address_ += ' ') += rng_.pick(kCities);
      invoice(id, name_, address_, total, at + static_cast<std::int64_t>(rng_.below(3600)));
    }
  }

  // Private chats follow the group chats, one per subscriber, in subscriber order.
  std::int64_t private_chat(std::int64_t subscriber) {
    const std::int64_t id = groups_ + subscriber;
    emit(Table::chats, {Cell::of(id), Cell::of("private"), Cell::null()});
    return id;
  }
  void message(std::int64_t chat, std::int64_t sender, std::string_view text, std::int64_t at) {
    emit(Table::messages, {Cell::of(next_id(Table::messages)), Cell::of(chat), Cell::of(sender),
                           Cell::of(text), Cell::at(at)});
  }
  void click(std::int64_t subscriber, std::int64_t campaign, std::string_view from_ip, std::int64_t at) {
    emit(Table::link_clicks, {Cell::of(next_id(Table::link_clicks)), Cell::of(subscriber), Cell::of(campaign),
                              Cell::of(url(campaign)), Cell::at(at), Cell::of(from_ip)});
  }
  std::int64_t order(std::int64_t subscriber, std::int64_t total, std::string_view currency,
                     std::int64_t at) {
    const std::int64_t id = next_id(Table::orders);
    emit(Table::orders,
         {Cell::of(id), Cell::of(subscriber), Cell::of(total), Cell::of(currency), Cell::at(at)});
    return id;
  }
  void invoice(std::int64_t order_id, std::string_view name, std::string_view address, std::int64_t amount,
               std::int64_t at) {
    emit(Table::invoices, {Cell::of(next_id(Table::invoices)), Cell::of(order_id), Cell::of(name),
                           Cell::of(address), Cell::of(amount), Cell::at(at)});
  }

  std::int64_t next_id(Table table) {
    return static_cast<std::int64_t>(rows_[static_cast<std::size_t>(table)] + 1);
  }

  const SampleOptions options_;
  RowSink& sink_;
  Rng rng_;
  const std::int64_t groups_;
  const std::int64_t campaign_count_;
  std::vector<std::int64_t> campaign_sent_;  // by campaign id; [0] unused
  std::array<std::uint64_t, kTableCount> rows_{};
  std::vector<Cell> row_;
  std::vector<std::int64_t> times_;
  std::string name_, username_, email_, phone_, address_, url_;
  char ip_[48] = {};
  int ip_len_ = 0;
};

}  // namespace

Status check_options(const SampleOptions& options) {
  if (options.subjects < 1 || options.subjects > 10'000'000) return fail("subjects: expected 1 to 10000000");
  if (!(options.scale >= 0.01 && options.scale <= 100)) return fail("scale: expected 0.01 to 100");
  return Status::Ok();
}

SampleCounts generate(const SampleOptions& options, RowSink& sink) { return Generator(options, sink).run(); }

void format_time(std::int64_t seconds, bool rfc3339, char* out) {
  const std::int64_t days = (seconds >= 0 ? seconds : seconds - 86399) / 86400;
  const std::int64_t rest = seconds - days * 86400;
  // civil_from_days (H. Hinnant)
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  const auto put = [&out](std::size_t at, unsigned value, int width) {
    for (int k = width - 1; k >= 0; --k) {
      out[at + static_cast<std::size_t>(k)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, static_cast<unsigned>(y), 4);
  out[4] = '-';
  put(5, m, 2);
  out[7] = '-';
  put(8, d, 2);
  out[10] = rfc3339 ? 'T' : ' ';
  put(11, static_cast<unsigned>(rest / 3600), 2);
  out[13] = ':';
  put(14, static_cast<unsigned>(rest / 60 % 60), 2);
  out[16] = ':';
  put(17, static_cast<unsigned>(rest % 60), 2);
  out[19] = rfc3339 ? 'Z' : '\0';
}

}  // namespace dsr::sample
