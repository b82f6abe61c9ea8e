#include "common/geo/countries.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace v6scope::geo {
namespace {

// Shorthands that keep the table readable.
constexpr Rir kAfrinic = Rir::kAfrinic;
constexpr Rir kApnic = Rir::kApnic;
constexpr Rir kArin = Rir::kArin;
constexpr Rir kLacnic = Rir::kLacnic;
constexpr Rir kRipeNcc = Rir::kRipeNcc;
constexpr ItuRegion kAfrica = ItuRegion::kAfrica;
constexpr ItuRegion kAmericas = ItuRegion::kAmericas;
constexpr ItuRegion kArabStates = ItuRegion::kArabStates;
constexpr ItuRegion kAsiaPacific = ItuRegion::kAsiaPacific;
constexpr ItuRegion kCis = ItuRegion::kCis;
constexpr ItuRegion kEurope = ItuRegion::kEurope;
constexpr ItuRegion kNoRegion = ItuRegion::kUnknown;

// All 249 officially assigned ISO 3166-1 alpha-2 codes (the RIRs use only
// those, plus the non-country codes EU, AP and ZZ, which are not here; the
// RIPE NCC has declined the user-assigned XK, so it is not here either).
//
// RIR: the RIR whose service region lists the code (NRO service regions):
// AFRINIC 57 (Africa and the western Indian Ocean, incl. RE, YT, EH),
// APNIC 56, ARIN 29 (US, CA, Antarctica, part of the Caribbean, BV, HM, SH,
// UM), LACNIC 31 (incl. the Dutch Caribbean, FK, GS, GF), RIPE NCC 76
// (Europe, the Middle East, Central Asia, GL). A code's RIR says where it is
// served, not which RIR's files mention it: organisations register resources
// under their legal country with any RIR (e.g. "US" in APNIC's file).
//
// ITU region: the ITU-D region of each ITU Member State (the UN members and
// the Holy See), and of Palestine (ITU observer) in Arab States. Counts are
// of the sovereign states so placed:
//   Africa (44)        sub-Saharan Africa.
//   Americas (35)
//   Arab States (22)   the League of Arab States, incl. its North-African
//                      members (DZ EG LY MA MR SD TN) and DJ KM SO.
//   Asia-Pacific (38)  incl. Iran.
//   CIS (10)           AM AZ BY KG KZ MD RU TJ TM UZ. Georgia (left the CIS
//                      2009) and Ukraine (left 2018) are placed in Europe.
//                      Older ITU publications (e.g. the 2009 CIS statistical
//                      profile) list 12 CIS countries including both; not
//                      verified against ITU's current list: revisit.
//   Europe (45)        incl. Israel, Cyprus and Türkiye, GE and UA.
// Territories with no ITU membership of their own (and Taiwan, Hong Kong,
// Macao) are put in their geographic region, marked with a comment naming
// the sovereign or status. Palau, whose ITU membership is not certain here,
// is Asia-Pacific either way (not counted in the 38). Judgement calls:
//   Greenland, Saint Pierre and Miquelon -> Americas;
//   Western Sahara (not an Arab League member) -> Africa;
//   Saint Helena, Bouvet Island (South Atlantic) -> Africa;
//   IO, TF, HM (Indian Ocean), UM (mostly Pacific) -> Asia-Pacific;
//   Antarctica -> no region (kUnknown).
//
// Development groups, UN-OHRLLS lists:
//   LDC (44): the list after Bhutan (Dec 2023) and São Tomé and Príncipe
//     (Dec 2024) graduated. Bangladesh, Lao PDR and Nepal are scheduled to
//     graduate in Nov 2026, Solomon Islands in Dec 2027: update then.
//   LLDC (32).
//   SIDS (58): the 38 UN members (Caribbean 16, Pacific 13, AIS 9) and the
//     20 non-UN members / associate members of UN regional commissions
//     (AI AS AW BM CK CW GP GU KY MP MQ MS NC NU PF PR SX TC VG VI).
//
// Sorted by code (checked at compile time below); FindCountry relies on it.
// clang-format off
constexpr CountryInfo kCountries[] = {
    // code  name                                    RIR        ITU region     LDC    LLDC   SIDS
    {"AD", "Andorra",                               kRipeNcc,  kEurope,       false, false, false},
    {"AE", "United Arab Emirates",                  kRipeNcc,  kArabStates,   false, false, false},
    {"AF", "Afghanistan",                           kApnic,    kAsiaPacific,  true,  true,  false},
    {"AG", "Antigua and Barbuda",                   kArin,     kAmericas,     false, false, true},
    {"AI", "Anguilla",                              kArin,     kAmericas,     false, false, true},  // GB territory
    {"AL", "Albania",                               kRipeNcc,  kEurope,       false, false, false},
    {"AM", "Armenia",                               kRipeNcc,  kCis,          false, true,  false},
    {"AO", "Angola",                                kAfrinic,  kAfrica,       true,  false, false},
    {"AQ", "Antarctica",                            kArin,     kNoRegion,     false, false, false},  // no ITU region
    {"AR", "Argentina",                             kLacnic,   kAmericas,     false, false, false},
    {"AS", "American Samoa",                        kApnic,    kAsiaPacific,  false, false, true},  // US territory
    {"AT", "Austria",                               kRipeNcc,  kEurope,       false, false, false},
    {"AU", "Australia",                             kApnic,    kAsiaPacific,  false, false, false},
    {"AW", "Aruba",                                 kLacnic,   kAmericas,     false, false, true},  // NL constituent country
    {"AX", "Åland Islands",                         kRipeNcc,  kEurope,       false, false, false},  // FI autonomous region
    {"AZ", "Azerbaijan",                            kRipeNcc,  kCis,          false, true,  false},
    {"BA", "Bosnia and Herzegovina",                kRipeNcc,  kEurope,       false, false, false},
    {"BB", "Barbados",                              kArin,     kAmericas,     false, false, true},
    {"BD", "Bangladesh",                            kApnic,    kAsiaPacific,  true,  false, false},
    {"BE", "Belgium",                               kRipeNcc,  kEurope,       false, false, false},
    {"BF", "Burkina Faso",                          kAfrinic,  kAfrica,       true,  true,  false},
    {"BG", "Bulgaria",                              kRipeNcc,  kEurope,       false, false, false},
    {"BH", "Bahrain",                               kRipeNcc,  kArabStates,   false, false, true},
    {"BI", "Burundi",                               kAfrinic,  kAfrica,       true,  true,  false},
    {"BJ", "Benin",                                 kAfrinic,  kAfrica,       true,  false, false},
    {"BL", "Saint Barthélemy",                      kArin,     kAmericas,     false, false, false},  // FR collectivity
    {"BM", "Bermuda",                               kArin,     kAmericas,     false, false, true},  // GB territory
    {"BN", "Brunei Darussalam",                     kApnic,    kAsiaPacific,  false, false, false},
    {"BO", "Bolivia",                               kLacnic,   kAmericas,     false, true,  false},
    {"BQ", "Bonaire, Sint Eustatius and Saba",      kLacnic,   kAmericas,     false, false, false},  // NL special municipalities
    {"BR", "Brazil",                                kLacnic,   kAmericas,     false, false, false},
    {"BS", "Bahamas",                               kArin,     kAmericas,     false, false, true},
    {"BT", "Bhutan",                                kApnic,    kAsiaPacific,  false, true,  false},
    {"BV", "Bouvet Island",                         kArin,     kAfrica,       false, false, false},  // NO, uninhabited
    {"BW", "Botswana",                              kAfrinic,  kAfrica,       false, true,  false},
    {"BY", "Belarus",                               kRipeNcc,  kCis,          false, false, false},
    {"BZ", "Belize",                                kLacnic,   kAmericas,     false, false, true},
    {"CA", "Canada",                                kArin,     kAmericas,     false, false, false},
    {"CC", "Cocos (Keeling) Islands",               kApnic,    kAsiaPacific,  false, false, false},  // AU territory
    {"CD", "Congo, Democratic Republic of the",     kAfrinic,  kAfrica,       true,  false, false},
    {"CF", "Central African Republic",              kAfrinic,  kAfrica,       true,  true,  false},
    {"CG", "Congo",                                 kAfrinic,  kAfrica,       false, false, false},
    {"CH", "Switzerland",                           kRipeNcc,  kEurope,       false, false, false},
    {"CI", "Côte d'Ivoire",                         kAfrinic,  kAfrica,       false, false, false},
    {"CK", "Cook Islands",                          kApnic,    kAsiaPacific,  false, false, true},  // free association with NZ
    {"CL", "Chile",                                 kLacnic,   kAmericas,     false, false, false},
    {"CM", "Cameroon",                              kAfrinic,  kAfrica,       false, false, false},
    {"CN", "China",                                 kApnic,    kAsiaPacific,  false, false, false},
    {"CO", "Colombia",                              kLacnic,   kAmericas,     false, false, false},
    {"CR", "Costa Rica",                            kLacnic,   kAmericas,     false, false, false},
    {"CU", "Cuba",                                  kLacnic,   kAmericas,     false, false, true},
    {"CV", "Cabo Verde",                            kAfrinic,  kAfrica,       false, false, true},
    {"CW", "Curaçao",                               kLacnic,   kAmericas,     false, false, true},  // NL constituent country
    {"CX", "Christmas Island",                      kApnic,    kAsiaPacific,  false, false, false},  // AU territory
    {"CY", "Cyprus",                                kRipeNcc,  kEurope,       false, false, false},
    {"CZ", "Czechia",                               kRipeNcc,  kEurope,       false, false, false},
    {"DE", "Germany",                               kRipeNcc,  kEurope,       false, false, false},
    {"DJ", "Djibouti",                              kAfrinic,  kArabStates,   true,  false, false},
    {"DK", "Denmark",                               kRipeNcc,  kEurope,       false, false, false},
    {"DM", "Dominica",                              kArin,     kAmericas,     false, false, true},
    {"DO", "Dominican Republic",                    kLacnic,   kAmericas,     false, false, true},
    {"DZ", "Algeria",                               kAfrinic,  kArabStates,   false, false, false},
    {"EC", "Ecuador",                               kLacnic,   kAmericas,     false, false, false},
    {"EE", "Estonia",                               kRipeNcc,  kEurope,       false, false, false},
    {"EG", "Egypt",                                 kAfrinic,  kArabStates,   false, false, false},
    {"EH", "Western Sahara",                        kAfrinic,  kAfrica,       false, false, false},  // disputed, see above
    {"ER", "Eritrea",                               kAfrinic,  kAfrica,       true,  false, false},
    {"ES", "Spain",                                 kRipeNcc,  kEurope,       false, false, false},
    {"ET", "Ethiopia",                              kAfrinic,  kAfrica,       true,  true,  false},
    {"FI", "Finland",                               kRipeNcc,  kEurope,       false, false, false},
    {"FJ", "Fiji",                                  kApnic,    kAsiaPacific,  false, false, true},
    {"FK", "Falkland Islands (Malvinas)",           kLacnic,   kAmericas,     false, false, false},  // GB territory (disputed)
    {"FM", "Micronesia (Federated States of)",      kApnic,    kAsiaPacific,  false, false, true},
    {"FO", "Faroe Islands",                         kRipeNcc,  kEurope,       false, false, false},  // DK autonomous territory
    {"FR", "France",                                kRipeNcc,  kEurope,       false, false, false},
    {"GA", "Gabon",                                 kAfrinic,  kAfrica,       false, false, false},
    {"GB", "United Kingdom",                        kRipeNcc,  kEurope,       false, false, false},
    {"GD", "Grenada",                               kArin,     kAmericas,     false, false, true},
    {"GE", "Georgia",                               kRipeNcc,  kEurope,       false, false, false},  // see CIS note above
    {"GF", "French Guiana",                         kLacnic,   kAmericas,     false, false, false},  // FR region
    {"GG", "Guernsey",                              kRipeNcc,  kEurope,       false, false, false},  // Crown dependency
    {"GH", "Ghana",                                 kAfrinic,  kAfrica,       false, false, false},
    {"GI", "Gibraltar",                             kRipeNcc,  kEurope,       false, false, false},  // GB territory
    {"GL", "Greenland",                             kRipeNcc,  kAmericas,     false, false, false},  // DK autonomous territory
    {"GM", "Gambia",                                kAfrinic,  kAfrica,       true,  false, false},
    {"GN", "Guinea",                                kAfrinic,  kAfrica,       true,  false, false},
    {"GP", "Guadeloupe",                            kArin,     kAmericas,     false, false, true},  // FR region
    {"GQ", "Equatorial Guinea",                     kAfrinic,  kAfrica,       false, false, false},
    {"GR", "Greece",                                kRipeNcc,  kEurope,       false, false, false},
    {"GS", "South Georgia and the South Sandwich Islands", kLacnic,   kAmericas,     false, false, false},  // GB territory
    {"GT", "Guatemala",                             kLacnic,   kAmericas,     false, false, false},
    {"GU", "Guam",                                  kApnic,    kAsiaPacific,  false, false, true},  // US territory
    {"GW", "Guinea-Bissau",                         kAfrinic,  kAfrica,       true,  false, true},
    {"GY", "Guyana",                                kLacnic,   kAmericas,     false, false, true},
    {"HK", "Hong Kong",                             kApnic,    kAsiaPacific,  false, false, false},  // CN SAR
    {"HM", "Heard Island and McDonald Islands",     kArin,     kAsiaPacific,  false, false, false},  // AU territory, uninhabited
    {"HN", "Honduras",                              kLacnic,   kAmericas,     false, false, false},
    {"HR", "Croatia",                               kRipeNcc,  kEurope,       false, false, false},
    {"HT", "Haiti",                                 kLacnic,   kAmericas,     true,  false, true},
    {"HU", "Hungary",                               kRipeNcc,  kEurope,       false, false, false},
    {"ID", "Indonesia",                             kApnic,    kAsiaPacific,  false, false, false},
    {"IE", "Ireland",                               kRipeNcc,  kEurope,       false, false, false},
    {"IL", "Israel",                                kRipeNcc,  kEurope,       false, false, false},
    {"IM", "Isle of Man",                           kRipeNcc,  kEurope,       false, false, false},  // Crown dependency
    {"IN", "India",                                 kApnic,    kAsiaPacific,  false, false, false},
    {"IO", "British Indian Ocean Territory",        kApnic,    kAsiaPacific,  false, false, false},  // GB territory
    {"IQ", "Iraq",                                  kRipeNcc,  kArabStates,   false, false, false},
    {"IR", "Iran",                                  kRipeNcc,  kAsiaPacific,  false, false, false},
    {"IS", "Iceland",                               kRipeNcc,  kEurope,       false, false, false},
    {"IT", "Italy",                                 kRipeNcc,  kEurope,       false, false, false},
    {"JE", "Jersey",                                kRipeNcc,  kEurope,       false, false, false},  // Crown dependency
    {"JM", "Jamaica",                               kArin,     kAmericas,     false, false, true},
    {"JO", "Jordan",                                kRipeNcc,  kArabStates,   false, false, false},
    {"JP", "Japan",                                 kApnic,    kAsiaPacific,  false, false, false},
    {"KE", "Kenya",                                 kAfrinic,  kAfrica,       false, false, false},
    {"KG", "Kyrgyzstan",                            kRipeNcc,  kCis,          false, true,  false},
    {"KH", "Cambodia",                              kApnic,    kAsiaPacific,  true,  false, false},
    {"KI", "Kiribati",                              kApnic,    kAsiaPacific,  true,  false, true},
    {"KM", "Comoros",                               kAfrinic,  kArabStates,   true,  false, true},
    {"KN", "Saint Kitts and Nevis",                 kArin,     kAmericas,     false, false, true},
    {"KP", "Korea, Democratic People's Republic of", kApnic,    kAsiaPacific,  false, false, false},
    {"KR", "Korea, Republic of",                    kApnic,    kAsiaPacific,  false, false, false},
    {"KW", "Kuwait",                                kRipeNcc,  kArabStates,   false, false, false},
    {"KY", "Cayman Islands",                        kArin,     kAmericas,     false, false, true},  // GB territory
    {"KZ", "Kazakhstan",                            kRipeNcc,  kCis,          false, true,  false},
    {"LA", "Lao People's Democratic Republic",      kApnic,    kAsiaPacific,  true,  true,  false},
    {"LB", "Lebanon",                               kRipeNcc,  kArabStates,   false, false, false},
    {"LC", "Saint Lucia",                           kArin,     kAmericas,     false, false, true},
    {"LI", "Liechtenstein",                         kRipeNcc,  kEurope,       false, false, false},
    {"LK", "Sri Lanka",                             kApnic,    kAsiaPacific,  false, false, false},
    {"LR", "Liberia",                               kAfrinic,  kAfrica,       true,  false, false},
    {"LS", "Lesotho",                               kAfrinic,  kAfrica,       true,  true,  false},
    {"LT", "Lithuania",                             kRipeNcc,  kEurope,       false, false, false},
    {"LU", "Luxembourg",                            kRipeNcc,  kEurope,       false, false, false},
    {"LV", "Latvia",                                kRipeNcc,  kEurope,       false, false, false},
    {"LY", "Libya",                                 kAfrinic,  kArabStates,   false, false, false},
    {"MA", "Morocco",                               kAfrinic,  kArabStates,   false, false, false},
    {"MC", "Monaco",                                kRipeNcc,  kEurope,       false, false, false},
    {"MD", "Moldova",                               kRipeNcc,  kCis,          false, true,  false},
    {"ME", "Montenegro",                            kRipeNcc,  kEurope,       false, false, false},
    {"MF", "Saint Martin (French part)",            kArin,     kAmericas,     false, false, false},  // FR collectivity
    {"MG", "Madagascar",                            kAfrinic,  kAfrica,       true,  false, false},
    {"MH", "Marshall Islands",                      kApnic,    kAsiaPacific,  false, false, true},
    {"MK", "North Macedonia",                       kRipeNcc,  kEurope,       false, true,  false},
    {"ML", "Mali",                                  kAfrinic,  kAfrica,       true,  true,  false},
    {"MM", "Myanmar",                               kApnic,    kAsiaPacific,  true,  false, false},
    {"MN", "Mongolia",                              kApnic,    kAsiaPacific,  false, true,  false},
    {"MO", "Macao",                                 kApnic,    kAsiaPacific,  false, false, false},  // CN SAR
    {"MP", "Northern Mariana Islands",              kApnic,    kAsiaPacific,  false, false, true},  // US territory
    {"MQ", "Martinique",                            kArin,     kAmericas,     false, false, true},  // FR region
    {"MR", "Mauritania",                            kAfrinic,  kArabStates,   true,  false, false},
    {"MS", "Montserrat",                            kArin,     kAmericas,     false, false, true},  // GB territory
    {"MT", "Malta",                                 kRipeNcc,  kEurope,       false, false, false},
    {"MU", "Mauritius",                             kAfrinic,  kAfrica,       false, false, true},
    {"MV", "Maldives",                              kApnic,    kAsiaPacific,  false, false, true},
    {"MW", "Malawi",                                kAfrinic,  kAfrica,       true,  true,  false},
    {"MX", "Mexico",                                kLacnic,   kAmericas,     false, false, false},
    {"MY", "Malaysia",                              kApnic,    kAsiaPacific,  false, false, false},
    {"MZ", "Mozambique",                            kAfrinic,  kAfrica,       true,  false, false},
    {"NA", "Namibia",                               kAfrinic,  kAfrica,       false, false, false},
    {"NC", "New Caledonia",                         kApnic,    kAsiaPacific,  false, false, true},  // FR collectivity
    {"NE", "Niger",                                 kAfrinic,  kAfrica,       true,  true,  false},
    {"NF", "Norfolk Island",                        kApnic,    kAsiaPacific,  false, false, false},  // AU territory
    {"NG", "Nigeria",                               kAfrinic,  kAfrica,       false, false, false},
    {"NI", "Nicaragua",                             kLacnic,   kAmericas,     false, false, false},
    {"NL", "Netherlands",                           kRipeNcc,  kEurope,       false, false, false},
    {"NO", "Norway",                                kRipeNcc,  kEurope,       false, false, false},
    {"NP", "Nepal",                                 kApnic,    kAsiaPacific,  true,  true,  false},
    {"NR", "Nauru",                                 kApnic,    kAsiaPacific,  false, false, true},
    {"NU", "Niue",                                  kApnic,    kAsiaPacific,  false, false, true},  // free association with NZ
    {"NZ", "New Zealand",                           kApnic,    kAsiaPacific,  false, false, false},
    {"OM", "Oman",                                  kRipeNcc,  kArabStates,   false, false, false},
    {"PA", "Panama",                                kLacnic,   kAmericas,     false, false, false},
    {"PE", "Peru",                                  kLacnic,   kAmericas,     false, false, false},
    {"PF", "French Polynesia",                      kApnic,    kAsiaPacific,  false, false, true},  // FR collectivity
    {"PG", "Papua New Guinea",                      kApnic,    kAsiaPacific,  false, false, true},
    {"PH", "Philippines",                           kApnic,    kAsiaPacific,  false, false, false},
    {"PK", "Pakistan",                              kApnic,    kAsiaPacific,  false, false, false},
    {"PL", "Poland",                                kRipeNcc,  kEurope,       false, false, false},
    {"PM", "Saint Pierre and Miquelon",             kArin,     kAmericas,     false, false, false},  // FR collectivity
    {"PN", "Pitcairn",                              kApnic,    kAsiaPacific,  false, false, false},  // GB territory
    {"PR", "Puerto Rico",                           kArin,     kAmericas,     false, false, true},  // US territory
    {"PS", "Palestine",                             kRipeNcc,  kArabStates,   false, false, false},  // ITU observer, Arab League member
    {"PT", "Portugal",                              kRipeNcc,  kEurope,       false, false, false},
    {"PW", "Palau",                                 kApnic,    kAsiaPacific,  false, false, true},  // see ITU note above
    {"PY", "Paraguay",                              kLacnic,   kAmericas,     false, true,  false},
    {"QA", "Qatar",                                 kRipeNcc,  kArabStates,   false, false, false},
    {"RE", "Réunion",                               kAfrinic,  kAfrica,       false, false, false},  // FR region
    {"RO", "Romania",                               kRipeNcc,  kEurope,       false, false, false},
    {"RS", "Serbia",                                kRipeNcc,  kEurope,       false, false, false},
    {"RU", "Russian Federation",                    kRipeNcc,  kCis,          false, false, false},
    {"RW", "Rwanda",                                kAfrinic,  kAfrica,       true,  true,  false},
    {"SA", "Saudi Arabia",                          kRipeNcc,  kArabStates,   false, false, false},
    {"SB", "Solomon Islands",                       kApnic,    kAsiaPacific,  true,  false, true},
    {"SC", "Seychelles",                            kAfrinic,  kAfrica,       false, false, true},
    {"SD", "Sudan",                                 kAfrinic,  kArabStates,   true,  false, false},
    {"SE", "Sweden",                                kRipeNcc,  kEurope,       false, false, false},
    {"SG", "Singapore",                             kApnic,    kAsiaPacific,  false, false, true},
    {"SH", "Saint Helena, Ascension and Tristan da Cunha", kArin,     kAfrica,       false, false, false},  // GB territory
    {"SI", "Slovenia",                              kRipeNcc,  kEurope,       false, false, false},
    {"SJ", "Svalbard and Jan Mayen",                kRipeNcc,  kEurope,       false, false, false},  // NO territory
    {"SK", "Slovakia",                              kRipeNcc,  kEurope,       false, false, false},
    {"SL", "Sierra Leone",                          kAfrinic,  kAfrica,       true,  false, false},
    {"SM", "San Marino",                            kRipeNcc,  kEurope,       false, false, false},
    {"SN", "Senegal",                               kAfrinic,  kAfrica,       true,  false, false},
    {"SO", "Somalia",                               kAfrinic,  kArabStates,   true,  false, false},
    {"SR", "Suriname",                              kLacnic,   kAmericas,     false, false, true},
    {"SS", "South Sudan",                           kAfrinic,  kAfrica,       true,  true,  false},
    {"ST", "São Tomé and Príncipe",                 kAfrinic,  kAfrica,       false, false, true},
    {"SV", "El Salvador",                           kLacnic,   kAmericas,     false, false, false},
    {"SX", "Sint Maarten (Dutch part)",             kLacnic,   kAmericas,     false, false, true},  // NL constituent country
    {"SY", "Syria",                                 kRipeNcc,  kArabStates,   false, false, false},
    {"SZ", "Eswatini",                              kAfrinic,  kAfrica,       false, true,  false},
    {"TC", "Turks and Caicos Islands",              kArin,     kAmericas,     false, false, true},  // GB territory
    {"TD", "Chad",                                  kAfrinic,  kAfrica,       true,  true,  false},
    {"TF", "French Southern Territories",           kApnic,    kAsiaPacific,  false, false, false},  // FR territory
    {"TG", "Togo",                                  kAfrinic,  kAfrica,       true,  false, false},
    {"TH", "Thailand",                              kApnic,    kAsiaPacific,  false, false, false},
    {"TJ", "Tajikistan",                            kRipeNcc,  kCis,          false, true,  false},
    {"TK", "Tokelau",                               kApnic,    kAsiaPacific,  false, false, false},  // NZ territory
    {"TL", "Timor-Leste",                           kApnic,    kAsiaPacific,  true,  false, true},
    {"TM", "Turkmenistan",                          kRipeNcc,  kCis,          false, true,  false},
    {"TN", "Tunisia",                               kAfrinic,  kArabStates,   false, false, false},
    {"TO", "Tonga",                                 kApnic,    kAsiaPacific,  false, false, true},
    {"TR", "Türkiye",                               kRipeNcc,  kEurope,       false, false, false},
    {"TT", "Trinidad and Tobago",                   kLacnic,   kAmericas,     false, false, true},
    {"TV", "Tuvalu",                                kApnic,    kAsiaPacific,  true,  false, true},
    {"TW", "Taiwan",                                kApnic,    kAsiaPacific,  false, false, false},  // not an ITU member
    {"TZ", "Tanzania",                              kAfrinic,  kAfrica,       true,  false, false},
    {"UA", "Ukraine",                               kRipeNcc,  kEurope,       false, false, false},  // see CIS note above
    {"UG", "Uganda",                                kAfrinic,  kAfrica,       true,  true,  false},
    {"UM", "United States Minor Outlying Islands",  kArin,     kAsiaPacific,  false, false, false},  // US territory, mostly Pacific
    {"US", "United States",                         kArin,     kAmericas,     false, false, false},
    {"UY", "Uruguay",                               kLacnic,   kAmericas,     false, false, false},
    {"UZ", "Uzbekistan",                            kRipeNcc,  kCis,          false, true,  false},
    {"VA", "Holy See",                              kRipeNcc,  kEurope,       false, false, false},  // ITU member (Holy See)
    {"VC", "Saint Vincent and the Grenadines",      kArin,     kAmericas,     false, false, true},
    {"VE", "Venezuela",                             kLacnic,   kAmericas,     false, false, false},
    {"VG", "Virgin Islands, British",               kArin,     kAmericas,     false, false, true},  // GB territory
    {"VI", "Virgin Islands, U.S.",                  kArin,     kAmericas,     false, false, true},  // US territory
    {"VN", "Vietnam",                               kApnic,    kAsiaPacific,  false, false, false},
    {"VU", "Vanuatu",                               kApnic,    kAsiaPacific,  false, false, true},
    {"WF", "Wallis and Futuna",                     kApnic,    kAsiaPacific,  false, false, false},  // FR collectivity
    {"WS", "Samoa",                                 kApnic,    kAsiaPacific,  false, false, true},
    {"YE", "Yemen",                                 kRipeNcc,  kArabStates,   true,  false, false},
    {"YT", "Mayotte",                               kAfrinic,  kAfrica,       false, false, false},  // FR region
    {"ZA", "South Africa",                          kAfrinic,  kAfrica,       false, false, false},
    {"ZM", "Zambia",                                kAfrinic,  kAfrica,       true,  true,  false},
    {"ZW", "Zimbabwe",                              kAfrinic,  kAfrica,       false, true,  false},
};
// clang-format on

constexpr bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

constexpr bool CodeLess(absl::string_view a, absl::string_view b) {
  return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]);
}

constexpr bool TableIsValid() {
  for (size_t i = 0; i < std::size(kCountries); ++i) {
    const absl::string_view code = kCountries[i].code;
    if (code.size() != 2 || !IsUpper(code[0]) || !IsUpper(code[1])) {
      return false;
    }
    if (i > 0 && !CodeLess(kCountries[i - 1].code, code)) return false;
  }
  return true;
}
static_assert(TableIsValid(),
              "kCountries: codes must be two upper-case letters, sorted and "
              "unique");

constexpr std::array<Rir, 5> kRirs = {kAfrinic, kApnic, kArin, kLacnic,
                                      kRipeNcc};
constexpr std::array<ItuRegion, 6> kItuRegions = {
    kAfrica, kAmericas, kArabStates, kAsiaPacific, kCis, kEurope};

}  // namespace

const CountryInfo* FindCountry(absl::string_view code) {
  if (code.size() != 2) return nullptr;
  const char key_chars[2] = {absl::ascii_toupper(code[0]),
                             absl::ascii_toupper(code[1])};
  const absl::string_view key(key_chars, 2);
  const CountryInfo* end = std::end(kCountries);
  const CountryInfo* it =
      std::lower_bound(std::begin(kCountries), end, key,
                       [](const CountryInfo& c, absl::string_view k) {
                         return CodeLess(c.code, k);
                       });
  return it != end && it->code == key ? it : nullptr;
}

absl::Span<const CountryInfo> AllCountries() { return kCountries; }

absl::string_view RirName(Rir rir) {
  switch (rir) {
    case Rir::kAfrinic:
      return "afrinic";
    case Rir::kApnic:
      return "apnic";
    case Rir::kArin:
      return "arin";
    case Rir::kLacnic:
      return "lacnic";
    case Rir::kRipeNcc:
      return "ripencc";
    case Rir::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<Rir> ParseRir(absl::string_view slug) {
  for (Rir rir : kRirs) {
    if (absl::EqualsIgnoreCase(slug, RirName(rir))) return rir;
  }
  return std::nullopt;
}

absl::string_view ItuRegionName(ItuRegion region) {
  switch (region) {
    case ItuRegion::kAfrica:
      return "africa";
    case ItuRegion::kAmericas:
      return "americas";
    case ItuRegion::kArabStates:
      return "arab-states";
    case ItuRegion::kAsiaPacific:
      return "asia-pacific";
    case ItuRegion::kCis:
      return "cis";
    case ItuRegion::kEurope:
      return "europe";
    case ItuRegion::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<ItuRegion> ParseItuRegion(absl::string_view slug) {
  for (ItuRegion region : kItuRegions) {
    if (absl::EqualsIgnoreCase(slug, ItuRegionName(region))) return region;
  }
  return std::nullopt;
}

bool CountryInGroup(const CountryInfo& country, absl::string_view group_slug) {
  if (absl::EqualsIgnoreCase(group_slug, "global")) return true;
  if (absl::EqualsIgnoreCase(group_slug, "ldc")) return country.ldc;
  if (absl::EqualsIgnoreCase(group_slug, "lldc")) return country.lldc;
  if (absl::EqualsIgnoreCase(group_slug, "sids")) return country.sids;
  if (const std::optional<ItuRegion> region = ParseItuRegion(group_slug)) {
    return country.itu == *region;
  }
  if (const std::optional<Rir> rir = ParseRir(group_slug)) {
    return country.rir == *rir;
  }
  return false;
}

std::vector<std::string> AllGroupSlugs() {
  std::vector<std::string> slugs = {"global", "ldc", "lldc", "sids"};
  for (ItuRegion region : kItuRegions) {
    slugs.emplace_back(ItuRegionName(region));
  }
  for (Rir rir : kRirs) slugs.emplace_back(RirName(rir));
  return slugs;
}

}  // namespace v6scope::geo
