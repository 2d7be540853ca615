// Demo employers and vacancies in Zhangzhou's 云霄县 (350622), 平和县 (350628) and 诏安县 (350624).
import type { EmployerKind, PrismaClient } from "../src/db/client.ts";
import { createVacancy, type VacancyInput } from "../src/services/vacancies.ts";

interface DemoEmployer {
  name: string;
  kind: EmployerKind;
  regionCode: string;
  address: string;
  vacancies: (VacancyInput & { externalId: string })[];
}

export const demoEmployers: DemoEmployer[] = [
  {
    name: "云霄县莆美镇就业帮扶车间",
    kind: "workshop",
    regionCode: "350622103",
    address: "云霄县莆美镇中柱村",
    vacancies: [
      { externalId: "demo-yx-1", title: "手工编织工（可带回家做）", description: "计件工资，时间自由，适合照顾家庭的妇女，年龄18至60周岁", wageMin: 1500, wageMax: 3000, wageUnit: "month", headcount: 20, regionCode: "350622103" },
      { externalId: "demo-yx-2", title: "车间普工（电子组装）", description: "长白班，包午餐，年龄18至50周岁", wageMin: 3200, wageMax: 4200, headcount: 15, regionCode: "350622103" },
    ],
  },
  {
    name: "云霄县枇杷合作社",
    kind: "cooperative",
    regionCode: "350622101",
    address: "云霄县陈岱镇",
    vacancies: [
      { externalId: "demo-yx-3", title: "农产品分拣包装工", description: "枇杷分拣装箱，日结，年龄18至65周岁", wageMin: 120, wageMax: 150, wageUnit: "day", headcount: 30, regionCode: "350622101" },
    ],
  },
  {
    name: "平和县琯溪蜜柚加工厂",
    kind: "company",
    regionCode: "350628",
    address: "平和县小溪镇",
    vacancies: [
      { externalId: "demo-ph-1", title: "蜜柚加工操作工", description: "包吃住，五险一金，年龄18至55周岁", wageMin: 3800, wageMax: 5000, headcount: 25, regionCode: "350628" },
      { externalId: "demo-ph-2", title: "电商客服（蜜柚网店）", description: "会打字即可，提供培训，年龄18至40周岁", wageMin: 3500, wageMax: 4500, headcount: 5, regionCode: "350628" },
    ],
  },
  {
    name: "平和县家政服务公司",
    kind: "company",
    regionCode: "350628",
    address: "平和县小溪镇",
    vacancies: [
      { externalId: "demo-ph-3", title: "住家保姆", description: "照顾老人，包吃住，限女性，年龄30至55周岁，可到厦门工作", wageMin: 5500, wageMax: 7000, headcount: 10, regionCode: "350628" },
      { externalId: "demo-ph-4", title: "养老护理员", description: "县养老院，提供培训和证书，年龄20至55周岁", wageMin: 3500, wageMax: 4200, headcount: 6, regionCode: "350628" },
    ],
  },
  {
    name: "诏安县乡村公益性岗位",
    kind: "publicWelfare",
    regionCode: "350624",
    address: "诏安县",
    vacancies: [
      { externalId: "demo-za-1", title: "村道保洁员（公益性岗位）", description: "就近上岗，适合年龄较大或半劳动力，年龄30至65周岁", wageMin: 1800, wageMax: 1800, headcount: 12, regionCode: "350624" },
    ],
  },
  {
    name: "漳州诚信劳务经纪人",
    kind: "broker",
    regionCode: "350624",
    address: "诏安县南诏镇",
    vacancies: [
      { externalId: "demo-za-2", title: "快递分拣员（厦门）", description: "包吃住，长期，年龄18至45周岁，组织输出统一乘车", wageMin: 5000, wageMax: 6500, headcount: 40, regionCode: "350624" },
      { externalId: "demo-za-3", title: "建筑工地小工", description: "日结，年龄18至55周岁，限男性", wageMin: 200, wageMax: 260, wageUnit: "day", headcount: 20, regionCode: "350624" },
    ],
  },
];

export async function seedDemo(prisma: PrismaClient): Promise<{ employers: number; vacancies: number }> {
  let employers = 0;
  let vacancies = 0;
  for (const demo of demoEmployers) {
    let employer = await prisma.employer.findFirst({ where: { name: demo.name } });
    if (!employer) {
      employer = await prisma.employer.create({ data: { name: demo.name, kind: demo.kind, regionCode: demo.regionCode, address: demo.address } });
      employers += 1;
    }
    for (const vacancy of demo.vacancies) {
      if (await prisma.vacancy.findUnique({ where: { externalId: vacancy.externalId } })) continue;
      await createVacancy(prisma, { ...vacancy, employerName: demo.name }, { employerId: employer.id, postedVia: "demo" });
      vacancies += 1;
    }
  }
  return { employers, vacancies };
}
