// The configuration format of CONTRACT.md §2, one row per case.
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>

#include "ocspmx/config.hpp"

using namespace std::chrono_literals;
using ocspmx::Config;
namespace config = ocspmx::config;

namespace {

struct GoodRow {
    const char* rule;
    const char* text;
    std::function<bool(const Config&)> check;
};

// clang-format off
const GoodRow good_rows[] = {
    {"defaults are Exim's (and §2's)", "",
     [](const Config& c) {
         const auto& o = c.options;
         return !o.hosts_require_ocsp && o.hosts_request_ocsp == "*" && !o.hosts_require_tls &&
                o.tls_verify_certificates == "system" && o.tls_try_verify_hosts == "*" &&
                o.tls_verify_cert_hostnames == "*" && o.tls_tempfail_tryclear &&
                o.ocsp_clock_skew == 5min && o.ocsp_max_age == 7 * 24h && o.port == 25 &&
                o.connect_timeout == 5min && o.command_timeout == 5min &&
                o.data_timeout == 5min && !o.helo_data && c.hostlists.empty();
     }},
    {"name = value", "hosts_require_ocsp = *.example.com",
     [](const Config& c) { return c.options.hosts_require_ocsp == "*.example.com"; }},
    {"white space around '=' and the value is dropped", "   port   =   587   ",
     [](const Config& c) { return c.options.port == 587; }},
    {"'#' lines are comments", "# port = 1\n  # port = 2\nport = 3",
     [](const Config& c) { return c.options.port == 3; }},
    {"blank lines are ignored", "\n\n   \nport = 4\n\n",
     [](const Config& c) { return c.options.port == 4; }},
    {"a trailing backslash continues the line", "hosts_require_tls = 192.0.2.1 : \\\n    192.0.2.2",
     [](const Config& c) { return c.options.hosts_require_tls == "192.0.2.1 : 192.0.2.2"; }},
    {"several continuations", "hosts_avoid_tls = a.example : \\\n b.example : \\\n c.example",
     [](const Config& c) { return c.options.hosts_avoid_tls == "a.example : b.example : c.example"; }},
    {"a comment line inside a continuation is skipped", "hosts_avoid_tls = a.example : \\\n# x\n b.example",
     [](const Config& c) { return c.options.hosts_avoid_tls == "a.example : b.example"; }},
    {"CRLF line ends", "port = 26\r\nhelo_data = me.example\r\n",
     [](const Config& c) { return c.options.port == 26 && c.options.helo_data == "me.example"; }},
    {"hostlist NAME = LIST", "hostlist relays = 192.0.2.0/24 : 2001::db8::::/32",
     [](const Config& c) { return c.hostlists.at("relays") == "192.0.2.0/24 : 2001::db8::::/32"; }},
    {"+name refers to a hostlist", "hostlist r = 192.0.2.1\nhosts_require_ocsp = +r",
     [](const Config& c) { return c.options.hosts_require_ocsp == "+r"; }},
    {"+name may be defined after its use", "hosts_require_ocsp = !+r : *\nhostlist r = 192.0.2.1",
     [](const Config& c) { return c.hostlists.count("r") == 1; }},
    {"an empty host list is set, not unset", "hosts_request_ocsp =",
     [](const Config& c) { return c.options.hosts_request_ocsp == ""; }},
    {"boolean true", "tls_tempfail_tryclear = true", [](const Config& c) { return c.options.tls_tempfail_tryclear; }},
    {"boolean false", "tls_tempfail_tryclear = false", [](const Config& c) { return !c.options.tls_tempfail_tryclear; }},
    {"boolean yes", "tls_tempfail_tryclear = yes", [](const Config& c) { return c.options.tls_tempfail_tryclear; }},
    {"boolean no", "tls_tempfail_tryclear = no", [](const Config& c) { return !c.options.tls_tempfail_tryclear; }},
    {"boolean values are case-insensitive", "tls_tempfail_tryclear = NO", [](const Config& c) { return !c.options.tls_tempfail_tryclear; }},
    {"Exim shorthand: no_NAME", "no_tls_tempfail_tryclear", [](const Config& c) { return !c.options.tls_tempfail_tryclear; }},
    {"Exim shorthand: not_NAME", "not_tls_tempfail_tryclear", [](const Config& c) { return !c.options.tls_tempfail_tryclear; }},
    {"Exim shorthand: NAME alone", "tls_tempfail_tryclear", [](const Config& c) { return c.options.tls_tempfail_tryclear; }},
    {"time in seconds", "connect_timeout = 30s", [](const Config& c) { return c.options.connect_timeout == 30s; }},
    {"time in minutes", "command_timeout = 2m", [](const Config& c) { return c.options.command_timeout == 2min; }},
    {"time in hours", "data_timeout = 2h", [](const Config& c) { return c.options.data_timeout == 2h; }},
    {"time in days", "ocsp_max_age = 3d", [](const Config& c) { return c.options.ocsp_max_age == 72h; }},
    {"time in weeks", "ocsp_max_age = 1w", [](const Config& c) { return c.options.ocsp_max_age == 168h; }},
    {"combined time units", "ocsp_clock_skew = 1h30m", [](const Config& c) { return c.options.ocsp_clock_skew == 90min; }},
    {"a bare number is seconds", "ocsp_clock_skew = 90", [](const Config& c) { return c.options.ocsp_clock_skew == 90s; }},
    {"port 65535", "port = 65535", [](const Config& c) { return c.options.port == 65535; }},
    {"string options keep their text", "tls_verify_certificates = /etc/ssl/ca.pem\ntls_sni = $host",
     [](const Config& c) { return c.options.tls_verify_certificates == "/etc/ssl/ca.pem" && c.options.tls_sni == "$host"; }},
    {"every optional string option", "tls_require_ciphers = NORMAL:-VERS-TLS1.0\ntls_certificate = /c.pem\n"
     "tls_privatekey = /k.pem\ntls_crl = /crl.pem\nocsp_trusted_responders = /r.pem",
     [](const Config& c) {
         const auto& o = c.options;
         return o.tls_require_ciphers == "NORMAL:-VERS-TLS1.0" && o.tls_certificate == "/c.pem" &&
                o.tls_privatekey == "/k.pem" && o.tls_crl == "/crl.pem" && o.ocsp_trusted_responders == "/r.pem";
     }},
    {"every host list option", "hosts_require_ocsp = a.example\nhosts_request_ocsp = b.example\n"
     "hosts_require_tls = c.example\nhosts_avoid_tls = d.example\ntls_verify_hosts = e.example\n"
     "tls_try_verify_hosts = f.example\ntls_verify_cert_hostnames = g.example",
     [](const Config& c) {
         const auto& o = c.options;
         return o.hosts_require_ocsp == "a.example" && o.hosts_request_ocsp == "b.example" &&
                o.hosts_require_tls == "c.example" && o.hosts_avoid_tls == "d.example" &&
                o.tls_verify_hosts == "e.example" && o.tls_try_verify_hosts == "f.example" &&
                o.tls_verify_cert_hostnames == "g.example";
     }},
    {"a '#' inside a word is data, not a comment", "helo_data = a#b", [](const Config& c) { return c.options.helo_data == "a#b"; }},
    {"'=' inside a value is kept", "helo_data = a=b", [](const Config& c) { return c.options.helo_data == "a=b"; }},
};
// clang-format on

struct BadRow {
    const char* rule;
    const char* text;
    const char* error;  // a part of the one-line message
};

// clang-format off
const BadRow bad_rows[] = {
    {"an unknown option names source, line and option", "port = 25\nfrobnicate = 1", "t.conf:2: unknown option 'frobnicate'"},
    {"option names are exact (no dashes)", "hosts-require-ocsp = *", "t.conf:1: unknown option 'hosts-require-ocsp'"},
    {"a line without '=' that is not a boolean", "port", "t.conf:1: missing '=' after option 'port'"},
    {"a word that is no option", "hello world", "t.conf:1: unknown option 'hello world'"},
    {"a duplicate option", "port = 25\n\nport = 26", "t.conf:3: duplicate setting of option port (first at line 1)"},
    {"a duplicate hostlist", "hostlist a = *\nhostlist a = *", "t.conf:2: duplicate definition of hostlist a (first at line 1)"},
    {"a bad boolean", "tls_tempfail_tryclear = maybe", "t.conf:1: tls_tempfail_tryclear: bad boolean value 'maybe'"},
    {"a bad time unit", "connect_timeout = 5x", "t.conf:1: connect_timeout: bad time value '5x'"},
    {"an empty time", "connect_timeout =", "bad time value ''"},
    {"a time without a number", "connect_timeout = m", "bad time value 'm'"},
    {"a negative time", "connect_timeout = -5s", "bad time value '-5s'"},
    {"port 0", "port = 0", "t.conf:1: port: bad port '0' (1 to 65535)"},
    {"port over 65535", "port = 65536", "bad port '65536'"},
    {"port not a number", "port = smtp", "bad port 'smtp'"},
    {"port with junk", "port = 25x", "bad port '25x'"},
    {"an undefined +name names the line using it", "port = 25\nhosts_require_ocsp = +nosuch", "t.conf:2: hosts_require_ocsp: undefined named list '+nosuch'"},
    {"a bad host list item", "hosts_require_tls = 192.0.2.1/33", "t.conf:1: hosts_require_tls: host list item '192.0.2.1/33': bad address mask"},
    {"a bad item in a named list names its definition", "hostlist x = ^(", "t.conf:1: hostlist x: host list item '^(': bad regular expression"},
    {"a continued line reports its first line", "port = 25\nhosts_avoid_tls = a.example : \\\n 10.0.0.0/99", "t.conf:2: hosts_avoid_tls"},
    {"a bad hostlist name", "hostlist a-b = *", "t.conf:1: bad host list name 'a-b'"},
    {"hostlist without '='", "hostlist a *", "t.conf:1: expected 'hostlist NAME = LIST'"},
    {"a self-referencing named list", "hostlist a = +a", "refers to itself"},
    {"no trailing comments (Exim keeps them in the value)", "hosts_require_ocsp = *.example # ours", "t.conf:1: a '#' comment must be on a line of its own"},
};
// clang-format on

}  // namespace

TEST_CASE("configuration files parse as CONTRACT §2 says", "[config]")
{
    for (const GoodRow& row : good_rows) {
        INFO("rule: " << row.rule << "\ntext: " << row.text);
        auto parsed = config::parse(row.text, "t.conf");
        if (!parsed) {
            FAIL_CHECK("error: " << parsed.error().message);
            continue;
        }
        CHECK(row.check(*parsed));
    }
}

TEST_CASE("configuration errors are one line with source:line and the text", "[config]")
{
    for (const BadRow& row : bad_rows) {
        INFO("rule: " << row.rule << "\ntext: " << row.text);
        auto parsed = config::parse(row.text, "t.conf");
        REQUIRE_FALSE(parsed.ok());
        const std::string& message = parsed.error().message;
        INFO("message: " << message);
        CHECK(message.find(row.error) != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
}

TEST_CASE("parse_time follows Exim's time units", "[config]")
{
    struct {
        const char* text;
        long long seconds;  // -1: error
    } rows[] = {
        {"0", 0},       {"30s", 30},     {"5m", 300},     {"2h", 7200},
        {"1d", 86400},  {"1w", 604800},  {"1h30m", 5400}, {"1d2h3m4s", 93784},
        {"1h30", 3630}, {"  10m ", 600}, {"", -1},        {"s", -1},
        {"5 m", -1},    {"5M", -1},      {"1.5h", -1},    {"99999999999", -1},
        {"-1", -1},
    };
    for (const auto& row : rows) {
        INFO("time: '" << row.text << "'");
        auto t = config::parse_time(row.text);
        if (row.seconds < 0) {
            CHECK_FALSE(t.ok());
        } else {
            REQUIRE(t.ok());
            CHECK(t->count() == row.seconds);
        }
    }
}

TEST_CASE("set_option is what a command-line flag does", "[config]")
{
    auto parsed = config::parse("hostlist relays = 192.0.2.0/24\nport = 25", "t.conf");
    REQUIRE(parsed.ok());
    Config c = *parsed;
    CHECK(config::set_option(c, "port", "2525").ok());
    CHECK(c.options.port == 2525);  // flags override the file
    CHECK(config::set_option(c, "hosts_require_ocsp", "+relays").ok());
    CHECK(c.options.hosts_require_ocsp == "+relays");
    auto undefined = config::set_option(c, "hosts_require_ocsp", "+nosuch");
    REQUIRE_FALSE(undefined.ok());
    CHECK(undefined.error().message == "undefined named list '+nosuch'");
    auto unknown = config::set_option(c, "no_such_option", "1");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message == "unknown option 'no_such_option'");
    CHECK_FALSE(config::set_option(c, "port", "0").ok());
    CHECK(config::set_option(c, "tls_tempfail_tryclear", "no").ok());
    CHECK_FALSE(c.options.tls_tempfail_tryclear);
}

TEST_CASE("is_option knows every §2 option and nothing else", "[config]")
{
    for (const char* name : {"hosts_require_ocsp",
                             "hosts_request_ocsp",
                             "hosts_require_tls",
                             "hosts_avoid_tls",
                             "tls_verify_certificates",
                             "tls_verify_hosts",
                             "tls_try_verify_hosts",
                             "tls_verify_cert_hostnames",
                             "tls_sni",
                             "tls_require_ciphers",
                             "tls_certificate",
                             "tls_privatekey",
                             "tls_crl",
                             "tls_tempfail_tryclear",
                             "ocsp_clock_skew",
                             "ocsp_max_age",
                             "ocsp_trusted_responders",
                             "port",
                             "connect_timeout",
                             "command_timeout",
                             "data_timeout",
                             "helo_data"}) {
        INFO(name);
        CHECK(config::is_option(name));
    }
    CHECK_FALSE(config::is_option("hosts-require-ocsp"));
    CHECK_FALSE(config::is_option("hostlist"));
    CHECK_FALSE(config::is_option(""));
}

TEST_CASE("load_file reads a file and names it in errors", "[config]")
{
    char tmpl[] = "/tmp/ocspmx-config-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    const std::string dir = tmpl;
    std::ofstream(dir + "/good.conf") << "# test\nport = 587\nhostlist r = 192.0.2.1\n";
    std::ofstream(dir + "/bad.conf") << "port = 587\nport = 588\n";
    auto good = config::load_file(dir + "/good.conf");
    REQUIRE(good.ok());
    CHECK(good->options.port == 587);
    auto bad = config::load_file(dir + "/bad.conf");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.starts_with(dir + "/bad.conf:2: duplicate setting of option port"));
    auto missing = config::load_file(dir + "/missing.conf");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message ==
          "cannot open " + dir + "/missing.conf: No such file or directory");
}
