// The dashboard's files over a real MhdServer, from a temporary directory
// with a symlink pointing out of it.
#include "collector/http/static_files.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/http/mhd_server.h"
#include "gtest/gtest.h"

namespace v6scope::collector::http {
namespace {

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path) << content;
}

// One request on a fresh connection; the whole answer.
std::string Exchange(int port, const std::string& path,
                     const std::string& method = "GET") {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return "connect failed";
  }
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  const std::string request = absl::StrCat(
      method, " ", path, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, n);
  close(fd);
  return out;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/static-files-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ + "/dist";
    ASSERT_EQ(mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(mkdir((root_ + "/sub").c_str(), 0755), 0);
    WriteFile(root_ + "/index.html", "<html>home</html>");
    WriteFile(root_ + "/app.js", "console.log(1)");
    WriteFile(root_ + "/a.txt", "plain");
    WriteFile(root_ + "/sub/index.html", "<html>sub</html>");
    WriteFile(base_ + "/secret", "top secret");
    ASSERT_EQ(symlink((base_ + "/secret").c_str(), (root_ + "/leak").c_str()),
              0);
    ASSERT_EQ(symlink("/etc", (root_ + "/etc").c_str()), 0);
    ASSERT_EQ(symlink("app.js", (root_ + "/inside.html").c_str()), 0);
    absl::StatusOr<v6scope::http::Route> route = StaticFilesRoute(root_);
    ASSERT_TRUE(route.ok()) << route.status();
    auto server = v6scope::http::MhdServer::Start("127.0.0.1:0", {*route});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  void TearDown() override {
    server_.reset();
    const std::string rm = absl::StrCat("rm -rf ", base_);
    EXPECT_EQ(system(rm.c_str()), 0);
  }

  std::string Get(const std::string& path) {
    return Exchange(server_->port(), path);
  }

  std::string base_, root_;
  std::unique_ptr<v6scope::http::MhdServer> server_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirTypeAndIndexForDirectories) {
  const std::string index = Get("/");
  EXPECT_TRUE(absl::StartsWith(index, "HTTP/1.1 200 OK\r\n")) << index;
  EXPECT_TRUE(absl::StrContains(index, "text/html")) << index;
  EXPECT_TRUE(absl::EndsWith(index, "<html>home</html>")) << index;
  const std::string js = Get("/app.js");
  EXPECT_TRUE(absl::StrContains(js, "Content-Type: text/javascript")) << js;
  EXPECT_TRUE(absl::StrContains(js, "X-Content-Type-Options: nosniff")) << js;
  EXPECT_TRUE(absl::EndsWith(Get("/sub/"), "<html>sub</html>"));
  EXPECT_TRUE(absl::EndsWith(Get("/sub"), "<html>sub</html>"));
  const std::string head = Exchange(server_->port(), "/a.txt", "HEAD");
  EXPECT_TRUE(absl::StrContains(head, "Content-Length: 5\r\n")) << head;
  EXPECT_TRUE(absl::EndsWith(head, "\r\n\r\n")) << head;
}

TEST_F(StaticFilesTest, SymlinksOutOfTheDirectoryAre404) {
  EXPECT_TRUE(absl::StartsWith(Get("/leak"), "HTTP/1.1 404 ")) << Get("/leak");
  EXPECT_TRUE(absl::StartsWith(Get("/etc/passwd"), "HTTP/1.1 404 "));
  EXPECT_TRUE(absl::StartsWith(Get("/missing.js"), "HTTP/1.1 404 "));
}

TEST_F(StaticFilesTest, TheTypeIsTheRealFilesNotTheRequestedName) {
  const std::string r = Get("/inside.html");  // A symlink to app.js.
  EXPECT_TRUE(absl::StrContains(r, "Content-Type: text/javascript")) << r;
}

TEST_F(StaticFilesTest, EncodedNulAndDotDotAreRefused) {
  EXPECT_TRUE(absl::StartsWith(Get("/a.txt%00.html"), "HTTP/1.1 400 "));
  EXPECT_TRUE(absl::StartsWith(Get("/sub/../../secret"), "HTTP/1.1 400 "));
  EXPECT_TRUE(absl::StartsWith(Get("/%2e%2e/secret"), "HTTP/1.1 400 "));
  const std::string post = Exchange(server_->port(), "/app.js", "POST");
  EXPECT_TRUE(absl::StartsWith(post, "HTTP/1.1 405 ")) << post;
}

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(ContentTypeFor("/x/index.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("noext"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.js/file"), "application/octet-stream");
}

}  // namespace
}  // namespace v6scope::collector::http
