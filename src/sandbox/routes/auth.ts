// Token routes (anonymous). Magento: magento/magento2:app/code/Magento/Integration/etc/webapi.xml,
// magento/security-package:TwoFactorAuth/etc/webapi.xml.

import { scalar } from "../input/types.js";
import type { RouteDef } from "./route-def.js";

export const authRoutes: readonly RouteDef[] = [
  {
    method: "POST",
    path: "V1/integration/admin/token",
    acl: "anonymous",
    params: [
      { name: "username", type: scalar("string") },
      { name: "password", type: scalar("string") },
    ],
    handle: ([username, password], ctx) => ctx.tokens.adminToken(String(username), String(password)),
  },
];

export const twoFactorRoutes: readonly RouteDef[] = [
  {
    method: "POST",
    path: "V1/tfa/provider/google/authenticate",
    acl: "anonymous",
    params: [
      { name: "username", type: scalar("string") },
      { name: "password", type: scalar("string") },
      { name: "otp", type: scalar("string") },
    ],
    handle: ([username, password, otp], ctx) => ctx.tokens.googleToken(String(username), String(password), String(otp)),
  },
];
