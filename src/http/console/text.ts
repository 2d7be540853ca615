// Every word the console shows, in one place (the labels ../shared/contract.md fixes among them).
export const T = {
  product: "就业直通车",
  console: "工作台",
  signIn: {
    title: "登录工作台",
    tokenLabel: "访问令牌",
    tokenButton: "用令牌登录",
    tokenHint: "管理员创建操作员时给出的访问令牌（zt_ 开头）。",
    refused: "令牌不对，或这个账号已停用。",
    smsLater: "用手机验证码登录即将开放；现在请用访问令牌登录。",
  },
  signOut: "退出",
  nav: { today: "待办", workers: "劳动力", vacancies: "岗位", employers: "用工单位", training: "培训", campaigns: "活动", figures: "数据", imports: "导入", audit: "审计" },
  today: {
    title: "待办",
    none: "今天没有待办的事。",
    due: "到期",
    overdue: "已过期",
    noPlan: "还没登记完的人",
    done: "完成",
    note: "处理情况",
    doneSaved: "已完成。",
  },
  taskKinds: {
    follow_up: "回访",
    job_loss_warning: "失业预警",
    human_request: "人工求助",
    application_referral: "推荐报名",
    employer_verification: "核实单位",
  } as Record<string, string>,
  roles: { admin: "管理员", countyOfficial: "县人社局", coordinator: "协理员" },
  errors: {
    forbidden: "这不在您的管辖范围内。",
    notFound: "没有找到。",
    expired: "页面已过期，请刷新后再试。",
    other: "出了点问题，请稍后再试。",
  },
} as const;
