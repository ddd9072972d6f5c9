#pragma once
// The state store's schema, one function per version, each in its own file so that
// each feature owns the tables it adds. Statements are idempotent (IF NOT EXISTS)
// because DDL commits implicitly on MariaDB. Placeholders: {AUTOINCREMENT_KEY} and
// {TABLE_OPTIONS}, expanded per engine by migrate().

#include <string>
#include <vector>

#include "dsr/state/database.h"

namespace dsr {

std::vector<std::string> migration_1(StoreEngine engine);  // requests, officers, audit trail (migrations.cc)
std::vector<std::string> migration_2(StoreEngine engine);  // workers: leases, exports, minimisation
std::vector<std::string> migration_3(StoreEngine engine);  // web: sessions, API tokens, login throttling
std::vector<std::string> migration_4(StoreEngine engine);  // OpenDSR controllers and download tokens
std::vector<std::string> migration_5(StoreEngine engine);  // mail intake
std::vector<std::string> migration_6(StoreEngine engine);  // Telegram bot
std::vector<std::string> migration_7(StoreEngine engine);  // deadline reminders, officer addresses
std::vector<std::string> migration_8(StoreEngine engine);  // one sender of the reminder digest at a time

}  // namespace dsr
