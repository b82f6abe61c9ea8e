#include "probe/http/testing/self_signed_cert.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace v6scope::probe::http::testing {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
template <typename T>
using Ptr = std::unique_ptr<T, Free>;

absl::Status SslError(absl::string_view what) {
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
  return absl::InternalError(absl::StrCat(what, ": ", buf));
}

absl::Status AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ptr<X509_EXTENSION> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (ext == nullptr || X509_add_ext(cert, ext.get(), -1) != 1) {
    return SslError(absl::StrCat("extension ", value));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Pem(const std::function<int(BIO*)>& write) {
  Ptr<BIO> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || write(bio.get()) != 1) return SslError("PEM_write");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string SubjectAltNames(const std::vector<std::string>& dns_names,
                            const std::vector<std::string>& ip_addresses) {
  std::vector<std::string> names;
  for (const auto& n : dns_names) names.push_back(absl::StrCat("DNS:", n));
  for (const auto& a : ip_addresses) names.push_back(absl::StrCat("IP:", a));
  return absl::StrJoin(names, ",");
}

}  // namespace

absl::StatusOr<SelfSignedCert> MakeSelfSignedCert(
    const std::vector<std::string>& dns_names,
    const std::vector<std::string>& ip_addresses) {
  if (dns_names.empty() && ip_addresses.empty()) {
    return absl::InvalidArgumentError("a certificate needs at least one name");
  }
  Ptr<EVP_PKEY> key(EVP_EC_gen("P-256"));
  Ptr<X509> cert(X509_new());
  if (key == nullptr || cert == nullptr) return SslError("key/cert");
  X509_set_version(cert.get(), 2);  // v3, for extensions.
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("v6scope test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  // As `openssl req -x509` makes them: its own CA, so a client can trust it
  // directly through its CA file.
  for (auto [nid, value] :
       {std::pair<int, std::string>{NID_basic_constraints, "critical,CA:TRUE"},
        {NID_subject_key_identifier, "hash"},
        {NID_subject_alt_name, SubjectAltNames(dns_names, ip_addresses)}}) {
    if (absl::Status s = AddExtension(cert.get(), nid, value); !s.ok()) {
      return s;
    }
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return SslError("X509_sign");
  }
  SelfSignedCert out;
  absl::StatusOr<std::string> cert_pem =
      Pem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
  absl::StatusOr<std::string> key_pem = Pem([&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr,
                                    nullptr);
  });
  if (!cert_pem.ok()) return cert_pem.status();
  if (!key_pem.ok()) return key_pem.status();
  out.cert_pem = std::move(*cert_pem);
  out.key_pem = std::move(*key_pem);
  return out;
}

}  // namespace v6scope::probe::http::testing
