// `ocspmx match` as a script sees it (CONTRACT.md §5): stdout, exit status.
// Lists use addresses, wildcards and lookup files only, so no DNS is needed.
#include <sys/wait.h>

#include <catch2/catch_test_macros.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

struct Run {
    int status = -1;
    std::string stdout_text;
    std::string stderr_text;
};

std::string shell_quote(const std::string& s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

const std::string& work_dir()
{
    static const std::string dir = [] {
        char tmpl[] = "/tmp/ocspmx-match-cli-XXXXXX";
        const char* made = mkdtemp(tmpl);
        REQUIRE(made != nullptr);
        return std::string(made);
    }();
    return dir;
}

Run run(const std::vector<std::string>& args)
{
    const char* root = std::getenv("OCSPMX_BUILD_ROOT");
    REQUIRE(root != nullptr);
    std::string cmd = shell_quote(std::string(root) + "/src/cli/ocspmx") + " match";
    for (const auto& a : args) cmd += " " + shell_quote(a);
    const std::string err_file = work_dir() + "/stderr";
    cmd += " 2>" + shell_quote(err_file);
    Run r;
    struct Close {
        void operator()(FILE* f) const { pclose(f); }
    };
    FILE* raw = popen(cmd.c_str(), "r");
    REQUIRE(raw != nullptr);
    char buf[512];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, raw)) > 0) r.stdout_text.append(buf, n);
    const int status = pclose(raw);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_file);
    r.stderr_text.assign(std::istreambuf_iterator<char>(in), {});
    return r;
}

struct Row {
    const char* what;
    std::vector<std::string> args;  // "%D" stands for the work directory
    int status;
    const char* out;  // expected stdout, exactly
    const char* err;  // a part of stderr ("" for empty stderr)
};

std::string with_dir(std::string s)
{
    for (auto p = s.find("%D"); p != std::string::npos; p = s.find("%D"))
        s.replace(p, 2, work_dir());
    return s;
}

}  // namespace

TEST_CASE("ocspmx match prints the decision and exits 0/1/75/78/64", "[cli][hostlist]")
{
    std::ofstream(work_dir() + "/good.conf")
        << "hostlist relays = 192.0.2.0/24 : !198.51.100.1\nhostlist six = <; 2001:db8::/32\n";
    std::ofstream(work_dir() + "/bad.conf") << "port = 25\nbogus_option = 1\n";

    const Row rows[] = {
        {"a match prints the item",
         {"192.0.2.0/24", "--name", "a.example", "--ip", "192.0.2.5"},
         0,
         "match: 192.0.2.0/24\n",
         ""},
        {"no match",
         {"192.0.2.0/24", "--name", "a.example", "--ip", "192.0.3.5"},
         1,
         "no match\n",
         ""},
        {"a negated match is no match",
         {"!*.example : *", "--name", "a.example", "--ip", "192.0.2.5"},
         1,
         "no match\n",
         ""},
        {"a wildcard by name",
         {"*.example", "--name", "A.EXAMPLE.", "--ip", "192.0.2.5"},
         0,
         "match: *.example\n",
         ""},
        {"IPv6 with a changed separator",
         {"<; 2001:db8::/32", "--name", "x", "--ip", "2001:db8::25"},
         0,
         "match: 2001:db8::/32\n",
         ""},
        {"trailing negation matches the rest",
         {"!192.0.2.1", "--name", "x", "--ip", "192.0.2.2"},
         0,
         "match: (end of list after a negated item)\n",
         ""},
        {"a lookup that cannot be done defers (75)",
         {"lsearch;/nonexistent/ocspmx.txt", "--name", "x", "--ip", "192.0.2.2"},
         75,
         "defer: lookup of 'lsearch;/nonexistent/ocspmx.txt' deferred: cannot open "
         "/nonexistent/ocspmx.txt: No such file or directory\n",
         ""},
        {"a bad list is a config error (78)",
         {"192.0.2.1/33", "--name", "x", "--ip", "192.0.2.1"},
         78,
         "",
         "ocspmx match: host list item '192.0.2.1/33': bad address mask\n"},
        {"an undefined +name is a config error",
         {"+relays", "--name", "x", "--ip", "192.0.2.1"},
         78,
         "",
         "undefined named list '+relays'"},
        {"named lists come from --config",
         {"+relays", "--name", "x", "--ip", "192.0.2.1", "--config", "%D/good.conf"},
         0,
         "match: +relays\n",
         ""},
        {"a named list's negation stays inside it",
         {"+relays : 198.51.100.1", "--name", "x", "--ip", "198.51.100.1", "--config",
          "%D/good.conf"},
         0,
         "match: 198.51.100.1\n",
         ""},
        {"a bad --config file is a config error",
         {"*", "--name", "x", "--ip", "192.0.2.1", "--config", "%D/bad.conf"},
         78,
         "",
         "bad.conf:2: unknown option 'bogus_option'"},
        {"a missing --config file is a config error",
         {"*", "--name", "x", "--ip", "192.0.2.1", "--config", "%D/missing.conf"},
         78,
         "",
         "cannot open"},
        {"no list is a usage error",
         {"--name", "x", "--ip", "192.0.2.1"},
         64,
         "",
         "exactly one LIST"},
        {"a missing --ip is a usage error", {"*", "--name", "x"}, 64, "", "missing --ip"},
        {"a missing --name is a usage error", {"*", "--ip", "192.0.2.1"}, 64, "", "missing --name"},
        {"a bad --ip is a usage error",
         {"*", "--name", "x", "--ip", "300.1.1.1"},
         64,
         "",
         "not an IP address"},
        {"an unknown flag is a usage error",
         {"*", "--name", "x", "--ip", "192.0.2.1", "--frob", "1"},
         64,
         "",
         "unknown option '--frob'"},
    };
    for (const Row& row : rows) {
        std::vector<std::string> args;
        for (const auto& a : row.args) args.push_back(with_dir(a));
        INFO(row.what);
        const Run r = run(args);
        INFO("stdout: " << r.stdout_text << "stderr: " << r.stderr_text);
        CHECK(r.status == row.status);
        CHECK(r.stdout_text == row.out);
        if (*row.err == '\0') {
            CHECK(r.stderr_text.empty());
        } else {
            CHECK(r.stderr_text.find(row.err) != std::string::npos);
        }
    }
}
