import type { SandboxPerson } from "./cast.js";

/**
 * What the demo school is made of (seeded by demo.ts): ticket stories in fa, en and
 * ru, the extra staff and requesters, branches, categories, and the priorities and
 * statuses the stories cycle through. Data only: the demo's texts are its people's
 * words, not interface texts, so they are not in locales/.
 */

export type Lang = "fa" | "en" | "ru";
export interface Story {
  title: string;
  description: string;
  reply: string;
  followUp: string;
  note: string;
}

export const STORIES: Record<Lang, Story[]> = {
  en: [
    {
      title: "Projector in room 12 shows no picture",
      description:
        "Since Monday the projector turns on but the screen stays blue. The HDMI cable was checked.",
      reply: "Thanks, we will bring a spare cable and check the input settings today.",
      followUp: "It works with the new cable, thank you!",
      note: "The lamp hours are close to the limit; order a spare.",
    },
    {
      title: "Cannot log in to the grades portal",
      description: "My password was reset last week and now the portal says the account is locked.",
      reply: "We unlocked the account; please sign in with the temporary password sent by SMS.",
      followUp: "Still locked after the reset, same message.",
      note: "Portal locks after 3 attempts; check the audit log of the portal.",
    },
    {
      title: "Wi-Fi drops in the library",
      description: "Every 10 minutes the connection drops on all laptops near the windows.",
      reply: "An access point there was overloaded; we moved two classes to the other one.",
      followUp: "Better today, only one drop in the morning.",
      note: "AP-LIB-2 firmware is old; schedule an update at night.",
    },
    {
      title: "Printer in the staff room jams",
      description: "Paper jams on every second page when printing double-sided.",
      reply: "The duplex unit was dirty; it is cleaned now.",
      followUp: "Works again, thanks.",
      note: "Maintenance kit due next month.",
    },
    {
      title: "Need a new account for a substitute teacher",
      description: "Ms. Green starts on Monday and needs e-mail and the class roster.",
      reply: "The account is ready; the details are in an envelope at the office.",
      followUp: "She received it, thank you.",
      note: "Temporary account, expires at the end of the term.",
    },
  ],
  fa: [
    {
      title: "کامپیوتر کلاس ۳ روشن نمی‌شود",
      description: "از صبح امروز کامپیوتر کلاس ۳ هیچ چراغی ندارد و روشن نمی‌شود.",
      reply: "همکار ما تا ساعت ۱۰ برای بررسی منبع تغذیه می‌آید.",
      followUp: "ممنون، الان روشن شد.",
      note: "منبع تغذیه سوخته؛ یکی از انبار برداشتیم.",
    },
    {
      title: "اینترنت سالن مطالعه قطع است",
      description: "از دیروز عصر هیچ دستگاهی در سالن مطالعه به اینترنت وصل نمی‌شود.",
      reply: "سوئیچ طبقه دوم ریست شد؛ لطفاً دوباره امتحان کنید.",
      followUp: "هنوز بعضی لپ‌تاپ‌ها وصل نمی‌شوند.",
      note: "پورت ۱۲ سوئیچ خراب است؛ کابل را به پورت ۱۴ بردیم.",
    },
    {
      title: "درخواست نصب نرم‌افزار ریاضی",
      description: "برای کلاس هندسه پایه دهم نرم‌افزار GeoGebra روی ده دستگاه لازم است.",
      reply: "نصب روی دستگاه‌های آزمایشگاه انجام شد.",
      followUp: "خیلی ممنون، همه دستگاه‌ها کار می‌کنند.",
      note: "نسخه آفلاین نصب شد تا به اینترنت وابسته نباشد.",
    },
    {
      title: "مشکل در ثبت نمرات پایان ترم",
      description: "سامانه هنگام ذخیره نمرات کلاس ۱۱ب خطا می‌دهد.",
      reply: "خطا از قالب فایل بود؛ لطفاً فایل جدید را بارگذاری کنید.",
      followUp: "با فایل جدید درست شد.",
      note: "ستون نمره اعشار با ممیز فارسی بود.",
    },
    {
      title: "تلفن دفتر مدیریت بوق ندارد",
      description: "از صبح تلفن داخلی دفتر مدیریت بوق آزاد ندارد.",
      reply: "خط داخلی دوباره وصل شد.",
      followUp: "درست شد، سپاس.",
      note: "کابل زیر میز آسیب دیده بود.",
    },
  ],
  ru: [
    {
      title: "Не работает интерактивная доска в 5Б",
      description: "Доска не реагирует на касания, изображение есть.",
      reply: "Откалибровали доску, проверьте, пожалуйста.",
      followUp: "Теперь всё работает, спасибо!",
      note: "Драйвер доски устарел, обновили.",
    },
    {
      title: "Нужен доступ к электронному журналу",
      description: "Я новый классный руководитель 7А, журнал класса мне недоступен.",
      reply: "Доступ выдан, войдите заново.",
      followUp: "Вижу журнал, благодарю.",
      note: "Права выданы до конца учебного года.",
    },
    {
      title: "Ноутбук для экзамена не заряжается",
      description: "Ноутбук №14 из шкафа для экзаменов не заряжается от своего блока питания.",
      reply: "Заменили блок питания, ноутбук заряжается.",
      followUp: "Спасибо, всё в порядке.",
      note: "Блок питания списан.",
    },
    {
      title: "Почта не отправляет вложения",
      description: "Письма с файлами больше 5 МБ не уходят родителям.",
      reply: "Лимит вложений увеличен до 20 МБ.",
      followUp: "Письмо ушло.",
      note: "Проверить квоту почтового ящика через месяц.",
    },
  ],
};

/** The demo's extra staff (the page's four staff personas are the others). */
export const DEMO_STAFF: SandboxPerson[] = [
  { id: 720_005, firstName: "Ali", lastName: "Rahimi", username: "ali_agent", language: "fa", role: "agent" },
  {
    id: 720_006,
    firstName: "Neda",
    lastName: "Hosseini",
    username: "neda_agent",
    language: "fa",
    role: "agent",
  },
  {
    id: 720_007,
    firstName: "Sergey",
    lastName: "Volkov",
    username: "sergey_mod",
    language: "ru",
    role: "moderator",
  },
  {
    id: 720_008,
    firstName: "Emma",
    lastName: "Jones",
    username: "emma_agent",
    language: "en",
    role: "agent",
  },
];

/** Extra requesters of the demo (the page's three are the first). */
export const DEMO_REQUESTERS: SandboxPerson[] = [
  {
    id: 710_004,
    firstName: "Hamid",
    lastName: "Nazari",
    username: "hamid_teacher",
    language: "fa",
    role: "requester",
  },
  {
    id: 710_005,
    firstName: "Lucy",
    lastName: "Walker",
    username: "lucy_office",
    language: "en",
    role: "requester",
  },
  {
    id: 710_006,
    firstName: "Dmitry",
    lastName: "Orlov",
    username: "dmitry_it",
    language: "ru",
    role: "requester",
  },
];

export const BRANCHES = [
  { code: "north", name: { fa: "شعبه شمال", en: "North campus", ru: "Северный корпус" } },
  { code: "south", name: { fa: "شعبه جنوب", en: "South campus", ru: "Южный корпус" } },
  { code: "primary", name: { fa: "دبستان", en: "Primary school", ru: "Начальная школа" } },
];

export const CATEGORIES = [
  {
    code: "classroom",
    name: { fa: "تجهیزات کلاس", en: "Classroom equipment", ru: "Оборудование классов" },
    emoji: "🏫",
  },
  {
    code: "accounts",
    name: { fa: "حساب‌ها و دسترسی", en: "Accounts & access", ru: "Учётные записи" },
    emoji: "🔑",
  },
];

export const PRIORITIES = ["low", "normal", "high", "critical"] as const;
export const TARGETS = ["open", "in_progress", "waiting_customer", "resolved", "closed"] as const;
